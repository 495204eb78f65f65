/**
 * A private, throwaway PostgreSQL cluster for tests and benchmarks.
 *
 * `startPostgresCluster()` runs `initdb` into a fresh temporary folder and starts `postgres` on a
 * free loopback port, listening on 127.0.0.1 only (its unix socket lives inside the temporary
 * folder, so it never touches /var/run/postgresql). Authentication is `trust`, which pg_hba.conf
 * applies to the local socket and loopback addresses only. Durability is switched off
 * (fsync, synchronous_commit, full_page_writes): the data is thrown away anyway.
 *
 * PostgreSQL refuses to run as root. When this process is root, initdb and postgres are spawned
 * with the uid/gid of the system user `postgres` (created by Debian's `postgresql` package), or
 * of `nobody` when that user does not exist; the temporary folder is chowned to that user.
 * Nothing system-wide is created. The database superuser is always called `postgres`.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  accessSync,
  chownSync,
  closeSync,
  constants as fsConstants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export interface PostgresCluster {
  /** Admin url, e.g. `postgres://postgres@127.0.0.1:54321/postgres`. */
  url: string;
  port: number;
  /** The temporary folder holding the data directory, socket and server log. */
  dir: string;
  /** Fast shutdown, then removes `dir`. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartPostgresClusterOptions {
  log?: (line: string) => void;
  /** How long to wait for the server to accept connections. Default 30 s. */
  startTimeoutMs?: number;
}

const SUPERUSER = "postgres";
const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: "127.0.0.1",
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  max_connections: "200",
  // one log: the postmaster's stderr, written to postgres.log in the temp folder
  logging_collector: "off",
};

/** Directory holding `initdb` and `postgres`, or null when PostgreSQL is not installed. */
export function findPostgresBinaries(): string | null {
  const isBinDir = (dir: string) =>
    ["initdb", "postgres"].every((exe) => {
      try {
        accessSync(path.join(dir, exe), fsConstants.X_OK);
        return true;
      } catch {
        return false;
      }
    });

  const fromEnv = process.env.PG_BINDIR;
  if (fromEnv && isBinDir(fromEnv)) return fromEnv;

  // Debian / Ubuntu layout: /usr/lib/postgresql/<major>/bin, newest first.
  const debianRoot = "/usr/lib/postgresql";
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const dir = path.join(debianRoot, v, "bin");
      if (isBinDir(dir)) return dir;
    }
  }

  // Anything on PATH (follow symlinks such as /usr/local/bin/initdb -> .../bin/initdb).
  for (const entry of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!entry) continue;
    const initdb = path.join(entry, "initdb");
    if (!existsSync(initdb)) continue;
    try {
      const dir = path.dirname(realpathSync(initdb));
      if (isBinDir(dir)) return dir;
    } catch {
      // broken symlink: keep looking
    }
  }
  return null;
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

function lookupUser(name: string): RunAs | null {
  let line: string | undefined;
  try {
    line = execFileSync("getent", ["passwd", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    try {
      line = readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((l) => l.startsWith(`${name}:`));
    } catch {
      line = undefined;
    }
  }
  if (!line) return null;
  const fields = line.split(":");
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0) return null;
  return { uid, gid, name };
}

/** When we are root: the unprivileged user to run PostgreSQL as. Otherwise null (run as ourselves). */
function unprivilegedUser(): RunAs | null {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  const user = lookupUser("postgres") ?? lookupUser("nobody");
  if (!user) {
    throw new Error(
      'Running as root, but neither a "postgres" nor a "nobody" system user exists to run PostgreSQL as ' +
        '(PostgreSQL refuses to run as root). Install Debian\'s "postgresql" package, which creates the "postgres" user.',
    );
  }
  return user;
}

function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Don't let the caller's PG* / locale settings leak into initdb and the server.
    if (key.startsWith("PG") || key.startsWith("LC_") || key === "LANG" || key === "LANGUAGE") continue;
    env[key] = value;
  }
  env.LC_ALL = "C";
  return env;
}

function run(command: string, args: string[], runAs: RunAs | null): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: serverEnv(),
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not allocate a loopback port"))));
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once("exit", onExit);
  });
}

async function canConnect(port: number): Promise<boolean> {
  const client = new pg.Client({
    host: "127.0.0.1",
    port,
    user: SUPERUSER,
    database: "postgres",
    connectionTimeoutMillis: 2000,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startPostgresCluster(options: StartPostgresClusterOptions = {}): Promise<PostgresCluster> {
  const log = options.log ?? (() => {});
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const bin = findPostgresBinaries();
  if (!bin) {
    throw new Error(
      "PostgreSQL server binaries (initdb, postgres) not found in /usr/lib/postgresql/*/bin, $PG_BINDIR or PATH. " +
        "Install them with `apt-get install -y postgresql`, or set TEST_DATABASE_URL to an existing server.",
    );
  }
  const runAs = unprivilegedUser();

  const t0 = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), "pg-test-"));
  const dataDir = path.join(dir, "data");
  const socketDir = path.join(dir, "socket");
  const logFile = path.join(dir, "postgres.log");
  mkdirSync(socketDir);
  if (runAs) {
    chownSync(dir, runAs.uid, runAs.gid);
    chownSync(socketDir, runAs.uid, runAs.gid);
  }
  const removeDir = () => rmSync(dir, { recursive: true, force: true });

  let child: ChildProcess | undefined;
  // If the test process exits without calling stop(), don't leave a server behind.
  const onProcessExit = () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        child.kill("SIGQUIT"); // immediate shutdown
      } catch {
        // already gone
      }
    }
    try {
      removeDir();
    } catch {
      // best effort
    }
  };
  process.once("exit", onProcessExit);

  try {
    const init = await run(
      path.join(bin, "initdb"),
      [
        "--pgdata",
        dataDir,
        "--username",
        SUPERUSER,
        "--encoding",
        "UTF8",
        "--no-locale",
        "--auth-local",
        "trust",
        "--auth-host",
        "trust",
        "--no-sync",
      ],
      runAs,
    );
    if (init.code !== 0) {
      throw new Error(`initdb failed (exit ${init.code})${runAs ? ` as user ${runAs.name}` : ""}:\n${init.output.trim()}`);
    }
    const tInit = performance.now();
    log(`initdb done in ${Math.round(tInit - t0)} ms (${dataDir}${runAs ? `, as ${runAs.name}` : ""})`);

    // The port is free when we pick it but could be taken before postgres binds it: retry then.
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const args = ["-D", dataDir, "-p", String(port), "-k", socketDir];
      for (const [key, value] of Object.entries(SERVER_SETTINGS)) args.push("-c", `${key}=${value}`);
      const logFd = openSync(logFile, "a");
      try {
        child = spawn(path.join(bin, "postgres"), args, {
          stdio: ["ignore", logFd, logFd],
          env: serverEnv(),
          ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
        });
      } finally {
        closeSync(logFd);
      }
      const server = child;
      // Don't keep the event loop alive for the server alone; the 'exit' hook above stops it.
      server.unref();
      let spawnError: Error | undefined;
      server.on("error", (err) => (spawnError = err));

      const deadline = performance.now() + startTimeoutMs;
      let ready = false;
      while (performance.now() < deadline) {
        if (spawnError) throw spawnError;
        if (server.exitCode !== null || server.signalCode !== null) break;
        if (await canConnect(port)) {
          ready = true;
          break;
        }
        await sleep(50);
      }

      if (ready) {
        const tReady = performance.now();
        log(
          `postgres accepting connections on 127.0.0.1:${port} after ${Math.round(tReady - tInit)} ms (total ${Math.round(tReady - t0)} ms)`,
        );
        let stopping: Promise<void> | undefined;
        const stop = () =>
          (stopping ??= (async () => {
            const tStop = performance.now();
            try {
              if (server.exitCode === null && server.signalCode === null) {
                server.kill("SIGINT"); // "fast" shutdown
                if (!(await waitForExit(server, 15_000))) {
                  server.kill("SIGQUIT"); // "immediate" shutdown
                  if (!(await waitForExit(server, 5_000))) {
                    server.kill("SIGKILL");
                    await waitForExit(server, 5_000);
                  }
                }
              }
            } finally {
              removeDir();
              process.off("exit", onProcessExit);
            }
            log(`postgres on port ${port} stopped and ${dir} removed in ${Math.round(performance.now() - tStop)} ms`);
          })());
        return { url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`, port, dir, stop };
      }

      const exited = server.exitCode !== null || server.signalCode !== null;
      if (!exited) {
        server.kill("SIGQUIT");
        await waitForExit(server, 5_000);
      }
      const logTail = tail(logFile);
      if (exited && /could not bind|Address already in use/i.test(logTail) && attempt < 3) {
        log(`port ${port} was taken, retrying with another one`);
        continue;
      }
      throw new Error(
        exited
          ? `postgres exited (code ${server.exitCode}, signal ${server.signalCode}) before accepting connections on 127.0.0.1:${port}. Server log:\n${logTail}`
          : `postgres did not accept connections on 127.0.0.1:${port} within ${startTimeoutMs} ms. Server log:\n${logTail}`,
      );
    }
  } catch (err) {
    process.off("exit", onProcessExit);
    removeDir();
    throw err;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates a fresh, empty database (unique name unless given) and returns its url. */
export async function createTestDatabase(adminUrl: string, name?: string): Promise<string> {
  const dbName = name ?? `test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(dbName)) {
    throw new Error(`invalid test database name ${JSON.stringify(dbName)} (use [a-z0-9_], at most 63 characters)`);
  }
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(dbName)}`));
  return withDatabase(adminUrl, dbName);
}

/** Drops a database made by createTestDatabase, disconnecting any sessions still open on it. */
export async function dropTestDatabase(adminUrl: string, url: string): Promise<void> {
  const dbName = databaseName(url);
  if (!dbName || ["postgres", "template0", "template1"].includes(dbName) || dbName === databaseName(adminUrl)) {
    throw new Error(`refusing to drop database ${JSON.stringify(dbName)}`);
  }
  await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`));
}
