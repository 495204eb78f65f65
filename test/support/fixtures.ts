// Users, sessions and callers for procedure and HTTP tests.
import type { PrismaClient } from "@portal/db";
import { createCaller, createInnerContext, createSession, findSession, levels, loadConfig, subscriptions, type AuthSession, type PortalConfig } from "@portal/server";

let counter = 0;

/** Rate limits are off: suites make many calls per minute from one session. The rate-limit tests set their own. */
export function testConfig(overrides: Partial<PortalConfig> = {}): PortalConfig {
  const noLimits = { login: 0, admin: 0, auth: 0, public: 0 };
  return { ...loadConfig({ LOG_LEVEL: "silent" }), rateLimits: noLimits, ...overrides };
}

export interface TestUserOptions {
  username?: string;
  level?: levels.PermissionLevelName;
  tier?: subscriptions.SubscriptionTierName;
  expiresAt?: Date | null;
  slots?: number | null;
}

export interface TestUser {
  id: number;
  username: string;
  token: string;
  session: AuthSession;
}

/** A user of the given level with a live session (its psession token and its resolved session). */
export async function createTestUser(db: PrismaClient, options: TestUserOptions = {}): Promise<TestUser> {
  counter += 1;
  const user = await db.user.create({
    data: {
      username: options.username ?? `user_${process.pid}_${counter}`,
      permissionLevel: levels.PermissionLevel[options.level ?? "user"],
      subscriptionTier: subscriptions.SubscriptionTier[options.tier ?? "basic"],
      subscriptionExpiresAt: options.expiresAt ?? null,
      chatSlotOverride: options.slots ?? null,
    },
  });
  const { token } = await createSession(db, user, {}, new Date());
  const session = await findSession(db, token, new Date());
  if (!session) throw new Error("fresh session not found");
  return { id: user.id, username: user.username, token, session };
}

export function callerFor(db: PrismaClient, config: PortalConfig, user?: TestUser | null) {
  return createCaller(createInnerContext({ db, config, session: user?.session ?? null }));
}
