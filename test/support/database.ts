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
