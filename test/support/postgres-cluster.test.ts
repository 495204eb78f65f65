import { existsSync } from "node:fs";
import pg from "pg";
import { expect, test } from "vitest";
import { createTestDatabase, dropTestDatabase, findPostgresBinaries, startPostgresCluster } from "./postgres-cluster.ts";

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

test("a private cluster starts on 127.0.0.1, serves a test database and is removed on stop", { timeout: 120_000 }, async () => {
  // Fails (never skips) where PostgreSQL is missing: install it with `apt-get install -y postgresql`.
  expect(findPostgresBinaries(), "PostgreSQL server binaries not found (apt-get install -y postgresql)").not.toBeNull();

  const lines: string[] = [];
  const cluster = await startPostgresCluster({ log: (l) => lines.push(l) });
  try {
    expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(existsSync(cluster.dir)).toBe(true);

    const dbUrl = await createTestDatabase(cluster.url);
    const dbName = new URL(dbUrl).pathname.slice(1);
    expect(dbName).toMatch(/^test_/);

    expect(await query(dbUrl, "select 1 as one")).toEqual([{ one: 1 }]);
    expect(await query(dbUrl, "select current_database() as db")).toEqual([{ db: dbName }]);
    expect(await query(dbUrl, "show listen_addresses")).toEqual([{ listen_addresses: "127.0.0.1" }]);
    expect(await query(dbUrl, "show fsync")).toEqual([{ fsync: "off" }]);
    expect(await query(dbUrl, "show max_connections")).toEqual([{ max_connections: "200" }]);
    expect(await query(dbUrl, "show server_encoding")).toEqual([{ server_encoding: "UTF8" }]);

    // A session left open must not block the drop.
    const lingering = new pg.Client({ connectionString: dbUrl });
    lingering.on("error", () => {});
    await lingering.connect();
    await dropTestDatabase(cluster.url, dbUrl);
    await lingering.end().catch(() => {});
    const remaining = await query(cluster.url, `select datname from pg_database where datname = '${dbName}'`);
    expect(remaining).toEqual([]);

    await expect(dropTestDatabase(cluster.url, cluster.url)).rejects.toThrow(/refusing/);
  } finally {
    await cluster.stop();
  }
  await cluster.stop(); // idempotent
  expect(existsSync(cluster.dir)).toBe(false);
  console.log(lines.join("\n"));
});
