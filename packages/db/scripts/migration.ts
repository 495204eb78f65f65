// `pnpm db:migration <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql for the
// change of prisma/schema.prisma since the migrations folder. Needs no database (the schema engine
// replays the migrations in a throwaway in-memory PGlite).
import path from "node:path";
import { createMigration, defaultMigrationPaths, MIGRATION_NAME } from "../src/migrations/engine.ts";

const usage = "Usage: pnpm db:migration <name>   (lowercase letters, digits and underscores, e.g. add_chat_topics)";

// pnpm may hand a literal "--" through before the arguments.
const args = process.argv.slice(2).filter((arg) => arg !== "--");
const name = args[0];

if (args.length !== 1 || name === undefined) {
  console.error(args.length === 0 ? `Missing migration name.\n${usage}` : `Expected one migration name, got ${args.length}.\n${usage}`);
  process.exit(1);
}
if (!MIGRATION_NAME.test(name)) {
  console.error(`Invalid migration name ${JSON.stringify(name)}.\n${usage}`);
  process.exit(1);
}

try {
  const created = await createMigration(name);
  if (created) {
    console.log(`Created ${path.relative(defaultMigrationPaths.repoRoot, created.directory)}`);
  } else {
    console.log("No schema changes");
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
