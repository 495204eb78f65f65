// Generates the Prisma client from prisma/schema.prisma. Generation runs in WebAssembly; the
// Prisma CLI only insists that a schema-engine binary exists, so on a machine that cannot
// download Prisma's native engine we point it at a harmless file (this script) instead.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
env.CHECKPOINT_DISABLE = "1";

const result = spawnSync("pnpm", ["exec", "prisma", "generate", "--schema", path.join(root, "prisma/schema.prisma")], {
  cwd: path.join(root, "packages/db"),
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
