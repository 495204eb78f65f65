// Opens the configured database: the embedded PGlite (no DATABASE_URL) or a PostgreSQL server.
// Both run the same schema and migrations; callers only see a Prisma client.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/prisma/client.ts";
import { acquireLock } from "./lock.ts";
import { applyMigrations } from "./migrations/engine.ts";

export { Prisma, PrismaClient } from "./generated/prisma/client.ts";
export type { ChatModel as Chat, ChatMemberModel as ChatMember, SessionModel as Session, UserModel as User } from "./generated/prisma/models.ts";
export { acquireLock, DatabaseLockedError, readLockHolder, type LockHolder } from "./lock.ts";
export { applyMigrations, createMigration, diffMigrationsToSchema } from "./migrations/engine.ts";

export const MEMORY = "memory://";

export interface DatabaseOptions {
  /** postgres:// URL, or null for the embedded database */
  url: string | null;
  /** the embedded database's folder, or MEMORY for a throwaway in-memory one */
  dataDir: string;
  /** connections in the PostgreSQL pool */
  poolSize?: number;
  /** apply pending migrations before returning */
  migrate?: boolean;
  /** who opens the embedded database, for the lock's error message */
  role?: string;
  operatorSocket?: string;
  log?: (line: string) => void;
}

export interface Database {
  prisma: PrismaClient;
  kind: "embedded" | "postgres";
  /** where the data lives, without credentials */
  location: string;
  /** the driver adapter factory, for migrations and diagnostics */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

function redact(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}${parsed.pathname}`;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const log = options.log ?? (() => {});
  if (options.url) {
    const adapterFactory = new PrismaPg({ connectionString: options.url, max: options.poolSize ?? 10 });
    if (options.migrate) await runMigrations(adapterFactory, log);
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return { prisma, kind: "postgres", location: redact(options.url), adapterFactory, close: () => prisma.$disconnect() };
  }

  const inMemory = options.dataDir === MEMORY;
  const release = inMemory
    ? () => {}
    : acquireLock(options.dataDir, { role: options.role ?? "a Portal process", operatorSocket: options.operatorSocket });
  try {
    const pglite = new PGlite(inMemory ? undefined : options.dataDir);
    await pglite.waitReady;
    const adapterFactory = new PrismaPGlite(pglite);
    if (options.migrate) await runMigrations(adapterFactory, log);
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return {
      prisma,
      kind: "embedded",
      location: inMemory ? MEMORY : options.dataDir,
      adapterFactory,
      async close() {
        try {
          await prisma.$disconnect();
          await pglite.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function runMigrations(factory: SqlMigrationAwareDriverAdapterFactory, log: (line: string) => void) {
  const { applied } = await applyMigrations(factory);
  for (const name of applied) log(`applied migration ${name}`);
}
