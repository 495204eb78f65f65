// Read by the Prisma CLI (prisma generate). Migrations run through the project's own commands.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
