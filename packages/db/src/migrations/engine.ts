// The project's migration commands, run through Prisma's schema engine compiled to WebAssembly
// (@prisma/schema-engine-wasm). The Prisma CLI's `migrate` commands need a native engine binary
// these machines cannot download (see PLATFORM.md), so we drive the same engine ourselves:
//
//   applyMigrations        = `prisma migrate deploy` (records rows in _prisma_migrations)
//   diffMigrationsToSchema = `prisma migrate diff --from-migrations … --to-schema … --script`
//   createMigration        = `prisma migrate dev --create-only` (writes <timestamp>_<name>/migration.sql)
//
// The engine talks to databases only through Prisma driver adapters (wrapped with
// bindMigrationAwareSqlAdapterFactory). Replaying a migrations folder (diff, create) needs a shadow
// database: always a throwaway in-memory PGlite here, opened and closed by this module.
import { access, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";

export interface MigrationOptions {
  /** the migrations folder; default `<repo>/prisma/migrations` */
  migrationsDir?: string;
  /** the Prisma schema; default `<repo>/prisma/schema.prisma` */
  schemaPath?: string;
  /** receives the engine's log lines (JSON); without it they are dropped */
  log?: (line: string) => void;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export const defaultMigrationPaths = {
  repoRoot,
  schemaPath: path.join(repoRoot, "prisma", "schema.prisma"),
  migrationsDir: path.join(repoRoot, "prisma", "migrations"),
} as const;

/** What a migration name may look like; it becomes part of the folder name. */
export const MIGRATION_NAME = /^[a-z0-9_]+$/;

const LOCKFILE = "migration_lock.toml";
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

// --- loading the engine -------------------------------------------------------------------------

type Bindings = typeof wasmBindings;
let loaded: Promise<Bindings> | undefined;

/**
 * Loads and starts the WebAssembly schema engine, once per process. The package is a wasm-bindgen
 * "bundler" build whose main entry imports the .wasm file directly, which Node cannot do, so we
 * instantiate the module ourselves against the JS glue (`schema_engine_bg.js`).
 */
/**
 * The engine's timers (a ~10 s timeout it leaves pending after each run) must not keep a
 * short-lived process such as `pnpm db:migrate` alive: hand it timers that do not hold the loop.
 */
function withUnrefTimers(glue: typeof wasmBindings): WebAssembly.ModuleImports {
  const imports = { ...glue } as WebAssembly.ModuleImports;
  for (const [name, value] of Object.entries(glue)) {
    if (!name.startsWith("__wbg_setTimeout_") || typeof value !== "function") continue;
    imports[name] = (...args: unknown[]) => {
      const timer = (value as (...a: unknown[]) => unknown)(...args);
      (timer as { unref?: () => void } | undefined)?.unref?.();
      return timer;
    };
  }
  return imports;
}

export function loadSchemaEngine(): Promise<Bindings> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(glue), "schema_engine_bg.wasm"));
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": withUnrefTimers(wasmBindings) });
    wasmBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return wasmBindings;
  })().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

// --- driver adapters ----------------------------------------------------------------------------

interface PGliteLike {
  exec(sql: string): Promise<unknown>;
  query(sql: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** The pg pool behind a @prisma/adapter-pg connection, if that is what it is. */
function pgPoolOf(adapter: SqlDriverAdapter): { query(sql: string): Promise<unknown> } | undefined {
  if (adapter.adapterName !== "@prisma/adapter-pg") return undefined;
  const driver = (adapter as unknown as { underlyingDriver?: () => { query?: unknown } }).underlyingDriver?.();
  return typeof driver?.query === "function" ? (driver as { query(sql: string): Promise<unknown> }) : undefined;
}

/** The PGlite instance behind a pglite-prisma-adapter connection, if that is what it is. */
function pgliteOf(adapter: SqlDriverAdapter): PGliteLike | undefined {
  if (adapter.adapterName !== "pglite-prisma-adapter") return undefined;
  const client = (adapter as unknown as { client?: Partial<PGliteLike> }).client;
  return typeof client?.exec === "function" && typeof client.close === "function" ? (client as PGliteLike) : undefined;
}

// The lock the engine takes (pg_advisory_lock) while applying migrations. The native engine frees
// it by closing its connection; PGlite has one session that stays open, so we free it ourselves.
const ENGINE_ADVISORY_LOCK = 72707369;

/**
 * Wraps a caller's factory for one engine run so that everything it opens is closed afterwards
 * (the engine disposes shadow connections, never the main one), and so that migration scripts run
 * as the native engine runs them: the whole script in one call (one implicit transaction on
 * PostgreSQL), its failure reported to the engine. Out of the box the adapters differ from that:
 *  - pglite-prisma-adapter 0.7.2 does not await PGlite's exec, so a failing migration is recorded
 *    as applied and its error surfaces as an unhandled rejection; its shadow database is a new
 *    in-memory PGlite that nothing closes.
 *  - @prisma/adapter-pg 7.10 splits the script at every ";" (also inside comments and strings)
 *    and runs the pieces one by one, so a ";" in a comment breaks a migration that PGlite runs.
 */
function scopeFactory(factory: SqlMigrationAwareDriverAdapterFactory) {
  const open = new Set<SqlDriverAdapter>();
  const mainClients = new Set<PGliteLike>();

  const adopt = (adapter: SqlDriverAdapter, shadow: boolean): SqlDriverAdapter => {
    const pglite = pgliteOf(adapter);
    if (pglite && !shadow) mainClients.add(pglite);
    const pool = pglite ? undefined : pgPoolOf(adapter);
    const run = pglite
      ? (script: string) => pglite.exec(script)
      : pool
        ? (script: string) => pool.query(script)
        : undefined;
    if (run) {
      // both adapters turn driver errors into Prisma's DriverAdapterError in onError
      const onError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
      adapter.executeScript = async (script: string) => {
        try {
          await run(script);
        } catch (error) {
          onError(error);
        }
      };
    }
    const dispose = adapter.dispose.bind(adapter);
    let disposed = false;
    adapter.dispose = async () => {
      if (disposed) return;
      disposed = true;
      open.delete(adapter);
      await dispose();
      if (shadow && pglite && !mainClients.has(pglite) && !pglite.closed) await pglite.close();
    };
    open.add(adapter);
    return adapter;
  };

  const scoped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => adopt(await factory.connect(), false),
    connectToShadowDb: async () => adopt(await factory.connectToShadowDb(), true),
  };

  return {
    factory: scoped,
    async releaseAdvisoryLock() {
      for (const client of mainClients) {
        if (!client.closed) await client.query("SELECT pg_advisory_unlock($1)", [ENGINE_ADVISORY_LOCK]);
      }
    },
    /** Disposes what is still open; a failure to close is logged, never thrown over the result. */
    async close(log?: (line: string) => void) {
      for (const adapter of [...open]) {
        await adapter.dispose().catch((error: unknown) => log?.(`closing a database connection failed: ${String(error)}`));
      }
    },
  };
}

/**
 * `factory` with its shadow database replaced by a fresh in-memory PGlite, which scopeFactory
 * closes after use. Not the factory's own: @prisma/adapter-pg 7.10 builds its shadow pool as
 * `{ ...config, database }`, and with a `connectionString` (which wins over `database` in pg) that
 * pool is the MAIN database, so the engine would replay the migrations there. An in-memory PGlite
 * also needs no CREATE DATABASE right and gives the same answer on every machine.
 */
function withPGliteShadow(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  if (factory.provider !== "postgres") return factory;
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    connectToShadowDb: async () => {
      const shadow = new PGlite();
      try {
        return await new PrismaPGlite(shadow).connect();
      } catch (error) {
        await shadow.close();
        throw error;
      }
    },
  };
}

/** Runs `fn` with a fresh engine on `factory`, then frees the engine and closes what it opened. */
async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string } | undefined,
  log: ((line: string) => void) | undefined,
  fn: (engine: SchemaEngine, scope: ReturnType<typeof scopeFactory>) => Promise<T>,
): Promise<T> {
  const bindings = await loadSchemaEngine();
  const scope = scopeFactory(factory);
  let engine: SchemaEngine | undefined;
  try {
    engine = await bindings.SchemaEngine.new(
      { datamodels: schema ? [[schema.path, schema.content]] : undefined },
      (line: unknown) => log?.(String(line).trimEnd()),
      bindMigrationAwareSqlAdapterFactory(scope.factory),
    );
    return await fn(engine, scope);
  } finally {
    engine?.free();
    await scope.close(log);
  }
}

// --- files --------------------------------------------------------------------------------------

function resolveOptions(options: MigrationOptions) {
  return {
    migrationsDir: path.resolve(options.migrationsDir ?? defaultMigrationPaths.migrationsDir),
    schemaPath: path.resolve(options.schemaPath ?? defaultMigrationPaths.schemaPath),
    log: options.log,
  };
}

async function readSchema(schemaPath: string) {
  return { path: schemaPath, content: await readFile(schemaPath, "utf8") };
}

/** The datasource provider named in a schema, for a migrations folder that has no lockfile yet. */
function schemaProvider(schema: string): string {
  return /datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*"([^"]+)"/.exec(schema)?.[1] ?? "postgresql";
}

function lockfileText(provider: string): string {
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

/** Reads a migrations folder the way the Prisma CLI does (every subfolder's migration.sql, sorted). */
async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const lockfile = await readFile(path.join(migrationsDir, LOCKFILE), "utf8").catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories: MigrationList["migrationDirectories"] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const content = await readFile(path.join(migrationsDir, entry.name, "migration.sql"), "utf8").then(
      (value) => ({ tag: "ok" as const, value }),
      (error: Error) => ({ tag: "error" as const, value: error.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: "migration.sql", content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: lockfile },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** SQL with only comments and whitespace (the engine says "-- This is an empty migration.") is nothing. */
function meaningfulSql(script: string): string {
  const statements = script
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .trim();
  return statements === "" ? "" : script;
}

/** Prisma's migration folder prefix: the UTC time as YYYYMMDDHHMMSS. */
function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

// --- commands -----------------------------------------------------------------------------------

/**
 * Applies the migrations of the migrations folder that the database has not seen, recording each
 * in `_prisma_migrations` as `prisma migrate deploy` does. Applying again applies nothing.
 */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: MigrationOptions = {},
): Promise<{ applied: string[] }> {
  const { migrationsDir, log } = resolveOptions(options);
  const migrationsList = await readMigrationsList(migrationsDir);
  // Applying needs only the migrations folder, not the schema (options.schemaPath is not read).
  return withEngine(factory, undefined, log, async (engine, scope) => {
    try {
      const output = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      return { applied: output.appliedMigrationNames };
    } finally {
      await scope.releaseAdvisoryLock();
    }
  });
}

async function diffWith(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: MigrationOptions,
): Promise<{ sql: string; migrationsList: MigrationList }> {
  const { migrationsDir, schemaPath, log } = resolveOptions(options);
  const schema = await readSchema(schemaPath);
  const migrationsList = await readMigrationsList(migrationsDir);
  // The engine takes the connector from the lockfile; a folder without one yet gets the schema's.
  const from = {
    ...migrationsList,
    lockfile: { path: LOCKFILE, content: migrationsList.lockfile.content ?? lockfileText(schemaProvider(schema.content)) },
  };
  const sql = await withEngine(factory, schema, log, async (engine) => {
    const result = await engine.diff({
      from: { tag: "migrations", ...from },
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return meaningfulSql(result.stdout ?? "");
  });
  return { sql, migrationsList };
}

/**
 * The SQL that takes a database built from the migrations folder to the schema: "" when they
 * agree. The migrations are replayed in a shadow database, an in-memory PGlite opened and closed
 * here; the factory's database is only connected to (the engine insists), never changed.
 */
export async function diffMigrationsToSchema(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: MigrationOptions = {},
): Promise<string> {
  return (await diffWith(withPGliteShadow(factory), options)).sql;
}

/**
 * Writes `<migrationsDir>/<YYYYMMDDHHMMSS>_<name>/migration.sql` with the SQL for the schema's
 * change since the migrations folder (and migration_lock.toml if missing); null when there is
 * nothing to migrate. Needs no database: a throwaway in-memory PGlite serves the engine.
 */
export async function createMigration(
  name: string,
  options: MigrationOptions = {},
): Promise<{ directory: string; sql: string } | null> {
  if (!MIGRATION_NAME.test(name)) {
    throw new Error(
      `Invalid migration name ${JSON.stringify(name)}: use lowercase letters, digits and underscores (for example add_chat_topics).`,
    );
  }
  const { migrationsDir, schemaPath } = resolveOptions(options);

  // The engine connects to a main database when it starts but only replays migrations into the
  // shadow database here, so one scratch database serves as both (one PGlite start, not two).
  const scratch = new PGlite();
  let sql: string;
  let migrationsList: MigrationList;
  try {
    const adapter = new PrismaPGlite(scratch);
    const factory: SqlMigrationAwareDriverAdapterFactory = {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      connect: () => adapter.connect(),
      connectToShadowDb: () => adapter.connect(),
    };
    ({ sql, migrationsList } = await diffWith(factory, options));
  } finally {
    if (!scratch.closed) await scratch.close();
  }
  if (sql === "") return null;

  const directory = path.join(migrationsDir, `${migrationTimestamp(new Date())}_${name}`);
  const exists = await access(directory).then(
    () => true,
    () => false,
  );
  if (exists) throw new Error(`The migration folder ${directory} already exists; try again in a second.`);
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, "migration.sql"), sql, "utf8");
  if (migrationsList.lockfile.content === null) {
    const schema = await readFile(schemaPath, "utf8");
    await writeFile(path.join(migrationsDir, LOCKFILE), lockfileText(schemaProvider(schema)), "utf8");
  }
  return { directory, sql };
}
