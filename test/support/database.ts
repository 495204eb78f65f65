// A fresh database for one test file: in-memory PGlite in the embedded project, a new database
// on the PostgreSQL test server in the postgres project. Same migrations either way.
import { MEMORY, openDatabase, type Database } from "@portal/db";
import { inject } from "vitest";
import { createTestDatabase, dropTestDatabase } from "./postgres-cluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseKind: "embedded" | "postgres";
  }
}


export async function openTestDatabase(options: { poolSize?: number } = {}): Promise<Database> {
  if (inject("databaseKind") !== "postgres") return openDatabase({ url: null, dataDir: MEMORY, migrate: true });

  const adminUrl = inject("postgresAdminUrl");
  if (!adminUrl) throw new Error("The postgres project runs without a PostgreSQL server: see test/global-setup.postgres.ts");
  const url = await createTestDatabase(adminUrl);
  const db = await openDatabase({ url, dataDir: MEMORY, migrate: true, poolSize: options.poolSize ?? 25 });
  return {
    ...db,
    async close() {
      await db.close();
      await dropTestDatabase(adminUrl, url);
    },
  };
}

/**
 * Environment for a child process (the server, the command line) on a fresh database of this
 * project's kind: an empty data folder for the embedded database, a new PostgreSQL database.
 */
export async function testDatabaseEnv(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  if (inject("databaseKind") !== "postgres") {
    const dir = await mkdtemp(path.join(tmpdir(), "portal-data-"));
    return { env: { PORTAL_DATA_DIR: dir, DATABASE_URL: "" }, cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  const adminUrl = inject("postgresAdminUrl");
  if (!adminUrl) throw new Error("The postgres project runs without a PostgreSQL server: see test/global-setup.postgres.ts");
  const url = await createTestDatabase(adminUrl);
  return { env: { DATABASE_URL: url }, cleanup: () => dropTestDatabase(adminUrl, url) };
}
