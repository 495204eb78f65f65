/**
 * Vitest globalSetup: makes a PostgreSQL admin url available to tests as
 * `inject('postgresAdminUrl')`.
 *
 * - TEST_DATABASE_URL set: that server is used (checked once here); nothing is started.
 * - otherwise, PostgreSQL binaries installed: a private throwaway cluster is started on a free
 *   127.0.0.1 port for the whole run and removed in teardown.
 * - neither: in CI (CI=true) this is an error; elsewhere `null` is provided and the PostgreSQL
 *   suites must report that they did not run (fail loudly, never skip silently).
 *
 * Tests should call createTestDatabase(adminUrl) from ./support/postgres-cluster.ts for their
 * own database rather than use the admin database itself.
 */
import pg from "pg";
import type { TestProject } from "vitest/node";
import { findPostgresBinaries, startPostgresCluster } from "./support/postgres-cluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string | null;
  }
}

const log = (line: string) => console.log(`[postgres] ${line}`);

async function checkExternal(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
  } catch (err) {
    const safeUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
    throw new Error(`TEST_DATABASE_URL is set (${safeUrl}) but that server cannot be used: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    await checkExternal(external);
    log("using TEST_DATABASE_URL");
    project.provide("postgresAdminUrl", external);
    return undefined;
  }

  if (findPostgresBinaries()) {
    const cluster = await startPostgresCluster({ log });
    project.provide("postgresAdminUrl", cluster.url);
    return () => cluster.stop();
  }

  if (process.env.CI === "true") {
    throw new Error(
      "PostgreSQL is required in CI but was not found: no initdb/postgres in /usr/lib/postgresql/*/bin, $PG_BINDIR or PATH, " +
        "and TEST_DATABASE_URL is not set. Install it with `apt-get install -y postgresql` (Debian; .ci/run does this), " +
        "or set TEST_DATABASE_URL to an admin url of a reachable server on 127.0.0.1.",
    );
  }

  console.warn(
    "[postgres] PostgreSQL not found and TEST_DATABASE_URL not set: PostgreSQL suites will report that they did not run. " +
      "Install it with `apt-get install -y postgresql` or set TEST_DATABASE_URL.",
  );
  project.provide("postgresAdminUrl", null);
  return undefined;
}
