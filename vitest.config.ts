// One vitest run, three projects:
//   unit      — pure modules (rules, errors, parsing), no database;
//   embedded  — every *.db.test.ts on a fresh in-memory PGlite database per file;
//   docker    — *.docker.test.ts against a real Docker engine (DOCKER_HOST, or a private dockerd
//               the setup starts) with a locally built stand-in neko image; required in CI,
//               left out with a warning elsewhere when no engine can be had;
//   postgres  — the same *.db.test.ts files on a real PostgreSQL server (a private cluster the
//               global setup starts, or TEST_DATABASE_URL). Under CI=true it always runs, and a
//               missing server fails the run; elsewhere, without PostgreSQL, it is left out with
//               a warning that says how to get it.
import { defineConfig } from "vitest/config";
import { existsSync } from "node:fs";
import { findDockerd, PRIVATE_ENGINE_DIR } from "./test/support/docker.ts";
import { findPostgresBinaries } from "./test/support/postgres-cluster.ts";

const databaseSuites = ["packages/*/test/**/*.db.test.ts", "apps/*/test/**/*.db.test.ts"];
const dockerSuites = ["packages/*/test/**/*.docker.test.ts", "apps/*/test/**/*.docker.test.ts"];

const postgresAvailable = process.env.CI === "true" || Boolean(process.env.TEST_DATABASE_URL) || findPostgresBinaries() !== null;
if (!postgresAvailable) {
  console.warn(
    "\n[postgres] PostgreSQL suite NOT RUN: no PostgreSQL server binaries and no TEST_DATABASE_URL. " +
      "Install them (Debian: apt-get install -y postgresql) or set TEST_DATABASE_URL; CI always runs it.\n",
  );
}

// An engine at DOCKER_HOST, a private one already running, or root with dockerd to start one.
const dockerAvailable =
  process.env.CI === "true" ||
  Boolean(process.env.DOCKER_HOST) ||
  existsSync(`${PRIVATE_ENGINE_DIR}/docker.sock`) ||
  (findDockerd() !== null && process.getuid?.() === 0);
if (!dockerAvailable) {
  console.warn(
    "\n[docker] Docker suite NOT RUN: no DOCKER_HOST and no dockerd to start. " +
      "Install it as root (Debian: apt-get install -y docker.io busybox-static) or set DOCKER_HOST; CI always runs it.\n",
  );
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts"],
          exclude: [...databaseSuites, ...dockerSuites, "**/node_modules/**"],
        },
      },
      {
        extends: true,
        test: { name: "embedded", include: databaseSuites, provide: { databaseKind: "embedded" } },
      },
      // A global setup in a project that extends the root runs once per project: keep them here.
      ...(dockerAvailable
        ? [
            {
              extends: true as const,
              test: { name: "docker", include: dockerSuites, globalSetup: ["test/global-setup.docker.ts"], hookTimeout: 120_000 },
            },
          ]
        : []),
      ...(postgresAvailable
        ? [
            {
              extends: true as const,
              test: {
                name: "postgres",
                include: [...databaseSuites, "test/**/*.test.ts"],
                globalSetup: ["test/global-setup.postgres.ts"],
                provide: { databaseKind: "postgres" as const },
              },
            },
          ]
        : []),
    ],
  },
});
