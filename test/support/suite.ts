// The setup most *.db.test.ts files share: a fresh database (and the real app on it) for the
// whole file, opened in beforeAll and closed in afterAll, plus the usual cast of users.
import type { Database, PrismaClient } from "@portal/db";
import type { PortalConfig } from "@portal/server";
import { afterAll, beforeAll } from "vitest";
import { openTestDatabase } from "./database.ts";
import { createTestUser, testConfig, type TestUser } from "./fixtures.ts";
import { startTestApp, type TestApp } from "./http.ts";

export interface TestDatabaseHandle {
  /** the file's database; read it in a test or a later hook, not while the file is collected */
  readonly db: Database;
}

export interface TestAppHandle extends TestDatabaseHandle {
  /** the real app on the file's database */
  readonly app: TestApp;
}

// A getter instead of a plain property: a read before the hook ran fails loudly instead of giving undefined.
function ready<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`The test ${name} is read before its beforeAll hook ran: read it inside a test or a later hook`);
  return value;
}

/** Opens a test database before the file's tests and closes it after them. */
export function useTestDatabase(): TestDatabaseHandle {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });
  return {
    get db() {
      return ready("db", db);
    },
  };
}

/** A test database and the real app on it for the file's tests; the app closes before its database. */
export function useTestApp(config: PortalConfig = testConfig()): TestAppHandle {
  let db: Database | undefined;
  let app: TestApp | undefined;
  beforeAll(async () => {
    db = await openTestDatabase();
    app = await startTestApp(db.prisma, config);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });
  return {
    get db() {
      return ready("db", db);
    },
    get app() {
      return ready("app", app);
    },
  };
}

export interface Cast {
  owner: TestUser;
  admin: TestUser;
  moderator: TestUser;
  /** a plain user with the premium tier */
  premium: TestUser;
  /** a plain user with the basic tier */
  basic: TestUser;
}

/** Owner, Admin and Moderator, then a premium and a basic User: one after another, so their ids keep that order. */
export async function createCast(db: PrismaClient): Promise<Cast> {
  const owner = await createTestUser(db, { level: "owner" });
  const admin = await createTestUser(db, { level: "admin" });
  const moderator = await createTestUser(db, { level: "moderator" });
  const premium = await createTestUser(db, { tier: "premium" });
  const basic = await createTestUser(db);
  return { owner, admin, moderator, premium, basic };
}
