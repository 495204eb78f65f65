// The migrations folder against the schema, on real PGlite databases (no mocks). The drift test is
// the one that fails when someone edits prisma/schema.prisma without running `pnpm db:migration`.
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  applyMigrations,
  createMigration,
  defaultMigrationPaths,
  diffMigrationsToSchema,
} from "../src/migrations/engine.ts";

const TIMEOUT = 30_000;

/** The committed schema with one more column on users. */
async function schemaWithNickname(): Promise<string> {
  const schema = await readFile(defaultMigrationPaths.schemaPath, "utf8");
  const changed = schema.replace(
    /(\n\s*username\s+String[^\n]*\n)/,
    '$1  nickname String? @db.VarChar(40)\n',
  );
  expect(changed).not.toBe(schema);
  return changed;
}

/** A temporary copy of prisma/ (schema and migrations), optionally with another schema text. */
async function copyPrismaFolder(schema?: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "portal-migrations-"));
  const schemaPath = path.join(dir, "schema.prisma");
  const migrationsDir = path.join(dir, "migrations");
  await cp(defaultMigrationPaths.migrationsDir, migrationsDir, { recursive: true });
  await writeFile(schemaPath, schema ?? (await readFile(defaultMigrationPaths.schemaPath, "utf8")));
  return { dir, schemaPath, migrationsDir };
}

async function migrationFolders(migrationsDir: string): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

let db: PGlite;
const temporary: string[] = [];

beforeAll(async () => {
  db = new PGlite();
  await db.waitReady;
}, TIMEOUT);

afterAll(async () => {
  await db?.close();
  for (const dir of temporary) await rm(dir, { recursive: true, force: true });
});

describe("applyMigrations", () => {
  test(
    "creates the tables on a fresh database and records the migrations; again, applies nothing",
    async () => {
      const committed = await migrationFolders(defaultMigrationPaths.migrationsDir);
      expect(committed.length).toBeGreaterThan(0);

      const first = await applyMigrations(new PrismaPGlite(db));
      expect(first.applied).toEqual(committed);

      const tables = await db.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(["_prisma_migrations", "chat_members", "chats", "sessions", "users"]),
      );

      const recorded = await db.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        "SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name",
      );
      expect(recorded.rows.map((row) => row.migration_name)).toEqual(committed);
      for (const row of recorded.rows) {
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
      }

      const logLines: string[] = [];
      const second = await applyMigrations(new PrismaPGlite(db), { log: (line) => logLines.push(line) });
      expect(second.applied).toEqual([]);
      expect(logLines.length).toBeGreaterThan(0); // the engine's JSON log lines, only when asked for
      const count = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM _prisma_migrations");
      expect(count.rows[0]?.n).toBe(committed.length);

      // the engine's advisory lock is not left behind on PGlite's single session
      const locks = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
      expect(locks.rows[0]?.n).toBe(0);
    },
    TIMEOUT,
  );

  test(
    "a failing migration is an error, not recorded as finished",
    async () => {
      await applyMigrations(new PrismaPGlite(db));
      const copy = await copyPrismaFolder();
      temporary.push(copy.dir);
      const broken = path.join(copy.migrationsDir, "29991231235959_broken");
      await cp(path.join(copy.migrationsDir, (await migrationFolders(copy.migrationsDir))[0]!), broken, { recursive: true });
      await writeFile(path.join(broken, "migration.sql"), 'ALTER TABLE "users" ADD COLUMN "x" INTEGER;\nSELECT no_such_function();\n');

      await expect(applyMigrations(new PrismaPGlite(db), copy)).rejects.toThrow(/no_such_function/);
      const row = await db.query<{ finished_at: Date | null }>(
        "SELECT finished_at FROM _prisma_migrations WHERE migration_name = '29991231235959_broken'",
      );
      expect(row.rows).toHaveLength(1);
      expect(row.rows[0]?.finished_at).toBeNull();
      // leave the shared database as the committed migrations made it
      await db.exec(`DELETE FROM _prisma_migrations WHERE migration_name = '29991231235959_broken';
        ALTER TABLE "users" DROP COLUMN IF EXISTS "x";`);
    },
    TIMEOUT,
  );
});

describe("the chat invariant (CHECK constraint written by hand in the init migration)", () => {
  test("a private chat has no slug; official and public chats have one", async () => {
    await applyMigrations(new PrismaPGlite(db)); // no-op after the first test; lets this one run alone
    const user = await db.query<{ id: number }>(
      "INSERT INTO users (username, updated_at) VALUES ('check_owner', now()) RETURNING id",
    );
    const owner = user.rows[0]!.id;
    const insert = (slug: string | null, visibility: string) =>
      db.query("INSERT INTO chats (name, slug, visibility, owner_id, updated_at) VALUES ('c', $1, $2::\"ChatVisibility\", $3, now())", [
        slug,
        visibility,
        owner,
      ]);

    await expect(insert("secret", "private")).rejects.toThrow(/chats_slug_matches_visibility/);
    await expect(insert(null, "public")).rejects.toThrow(/chats_slug_matches_visibility/);
    await expect(insert(null, "official")).rejects.toThrow(/chats_slug_matches_visibility/);
    await insert(null, "private");
    await insert("open", "public");
    await insert("news", "official");
    const chats = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM chats WHERE owner_id = $1", [owner]);
    expect(chats.rows[0]?.n).toBe(3);
  });
});

describe("drift between prisma/schema.prisma and prisma/migrations", () => {
  test(
    "none: the committed migrations build exactly the committed schema (else run `pnpm db:migration <name>`)",
    async () => {
      const sql = await diffMigrationsToSchema(new PrismaPGlite(db));
      expect(sql, "prisma/schema.prisma changed without a migration: run `pnpm db:migration <name>`").toBe("");
    },
    TIMEOUT,
  );

  test(
    "a schema change without a migration is detected",
    async () => {
      const copy = await copyPrismaFolder(await schemaWithNickname());
      temporary.push(copy.dir);
      const sql = await diffMigrationsToSchema(new PrismaPGlite(db), copy);
      expect(sql).toMatch(/ALTER TABLE "users" ADD COLUMN\s+"nickname" VARCHAR\(40\)/);
    },
    TIMEOUT,
  );
});

describe("createMigration", () => {
  test(
    "writes <timestamp>_<name>/migration.sql with the change, after which nothing is left to migrate",
    async () => {
      const copy = await copyPrismaFolder(await schemaWithNickname());
      temporary.push(copy.dir);
      const before = await migrationFolders(copy.migrationsDir);

      const created = await createMigration("add_nickname", copy);
      expect(created).not.toBeNull();
      const folder = path.basename(created!.directory);
      expect(folder).toMatch(/^\d{14}_add_nickname$/);
      expect(path.dirname(created!.directory)).toBe(copy.migrationsDir);
      expect(await readFile(path.join(created!.directory, "migration.sql"), "utf8")).toBe(created!.sql);
      expect(created!.sql).toMatch(/ALTER TABLE "users" ADD COLUMN\s+"nickname" VARCHAR\(40\)/);
      expect(await migrationFolders(copy.migrationsDir)).toEqual([...before, folder]);

      expect(await createMigration("add_nickname_again", copy)).toBeNull();
      expect(await migrationFolders(copy.migrationsDir)).toEqual([...before, folder]);
    },
    TIMEOUT,
  );

  test("rejects a bad name before writing anything", async () => {
    const copy = await copyPrismaFolder(await schemaWithNickname());
    temporary.push(copy.dir);
    const before = await migrationFolders(copy.migrationsDir);
    for (const name of ["", "Add-Nickname", "add nickname", "../escape"]) {
      await expect(createMigration(name, copy)).rejects.toThrow(/Invalid migration name/);
    }
    expect(await migrationFolders(copy.migrationsDir)).toEqual(before);
  });
});
