// One process at a time may open the embedded database: PGlite is a single-process engine and two
// writers would corrupt its data folder. The lock file names the holder so others can say who.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

export interface LockHolder {
  pid: number;
  role: string;
  startedAt: string;
  /** where the holder accepts operator commands, if it does */
  operatorSocket?: string;
}

export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
  constructor(
    readonly holder: LockHolder,
    readonly dataDir: string,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by ${holder.role} (pid ${holder.pid}, since ${holder.startedAt}). ` +
        `Stop that process first, or point DATABASE_URL at a PostgreSQL server.`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function lockPath(dataDir: string): string {
  return path.join(dataDir, "portal.lock");
}

/** The live holder of the data folder's lock, or null. */
export function readLockHolder(dataDir: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(lockPath(dataDir), "utf8")) as LockHolder;
    return isAlive(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

/** Takes the lock or throws DatabaseLockedError; a lock left by a dead process is taken over. */
export function acquireLock(dataDir: string, holder: Omit<LockHolder, "pid" | "startedAt">): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const record: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), ...holder };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, JSON.stringify(record));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const current = readLockHolder(dataDir);
      if (current) throw new DatabaseLockedError(current, dataDir);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
