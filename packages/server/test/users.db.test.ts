// users.me and users.sessions.list/destroy (§5.4) through createCaller on a real database.
import { createSession, findSession, type RouterInputs } from "@portal/server";
import { describe, expect, it } from "vitest";
import { callerFor, createTestUser, testConfig, type TestUser } from "../../../test/support/fixtures.ts";
import { useTestDatabase } from "../../../test/support/suite.ts";

type DestroyInput = RouterInputs["users"]["sessions"]["destroy"];

const suite = useTestDatabase();
const config = testConfig();
const NOT_AUTHENTICATED = { code: "UNAUTHORIZED", message: "Not authenticated" };

const as = (user: TestUser | null) => callerFor(suite.db.prisma, config, user);

async function extraSession(user: TestUser, options: { client?: { clientIp?: string; userAgent?: string }; now?: Date } = {}) {
  const { token } = await createSession(suite.db.prisma, { id: user.id, permissionLevel: user.session.user.permissionLevel }, options.client ?? {}, options.now ?? new Date());
  return token;
}

describe("users.me", () => {
  it("refuses a caller without a session", async () => {
    await expect(as(null).users.me()).rejects.toMatchObject(NOT_AUTHENTICATED);
  });

  it("answers exactly the user fields", async () => {
    const user = await createTestUser(suite.db.prisma, { username: "me_user", level: "moderator", tier: "trial", expiresAt: new Date("2027-06-30T00:00:00.000Z") });
    const stored = await suite.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await as(user).users.me()).toStrictEqual({
      id: user.id,
      username: "me_user",
      avatar_url: null,
      permission_level: 1,
      subscription_tier: 1,
      subscription_expires_at: "2027-06-30T00:00:00.000Z",
      created_at: stored.createdAt.toISOString(),
    });
  });

  it("answers null for a subscription without an end", async () => {
    const user = await createTestUser(suite.db.prisma, { tier: "lifetime" });
    expect(await as(user).users.me()).toMatchObject({ subscription_tier: 3, subscription_expires_at: null });
  });
});

describe("users.sessions.list", () => {
  it("refuses a caller without a session", async () => {
    await expect(as(null).users.sessions.list()).rejects.toMatchObject(NOT_AUTHENTICATED);
  });

  it("lists the caller's live sessions only, newest first, marking the current one", async () => {
    const user = await createTestUser(suite.db.prisma);
    const other = await createTestUser(suite.db.prisma);
    const laptop = await extraSession(user, { client: { clientIp: "198.51.100.4", userAgent: "Firefox" }, now: new Date(Date.now() + 1000) });
    const revoked = await extraSession(user);
    await suite.db.prisma.session.updateMany({ where: { tokenSuffix: revoked.slice(-8) }, data: { revokedAt: new Date() } });
    const expired = await extraSession(user, { now: new Date(Date.now() - 31 * 24 * 3600 * 1000) });

    const { sessions } = await as(user).users.sessions.list();
    expect(sessions.map((session) => session.token_suffix)).toEqual([laptop.slice(-8), user.token.slice(-8)]);
    expect(sessions.map((session) => session.token_suffix)).not.toContain(expired.slice(-8));
    expect(sessions.map((session) => session.token_suffix)).not.toContain(other.token.slice(-8));
    const row = await suite.db.prisma.session.findFirstOrThrow({ where: { tokenSuffix: laptop.slice(-8) } });
    expect(sessions[0]).toStrictEqual({
      token_suffix: laptop.slice(-8),
      created_at: row.createdAt.toISOString(),
      expires_at: row.expiresAt.toISOString(),
      client_ip: "198.51.100.4",
      user_agent: "Firefox",
      is_current: false,
    });
    expect(sessions[1]).toMatchObject({ is_current: true, client_ip: null, user_agent: null });
  });
});

describe("users.sessions.destroy", () => {
  const destroy = (user: TestUser | null, input: unknown) => as(user).users.sessions.destroy(input as DestroyInput);

  it("refuses a caller without a session", async () => {
    await expect(destroy(null, { token_suffix: "abcdefgh" })).rejects.toMatchObject(NOT_AUTHENTICATED);
  });

  it("destroys another of the caller's sessions, which stops working at once", async () => {
    const user = await createTestUser(suite.db.prisma);
    const phone = await extraSession(user);
    expect(await findSession(suite.db.prisma, phone, new Date())).not.toBeNull();
    await expect(destroy(user, { token_suffix: phone.slice(-8) })).resolves.toStrictEqual({ destroyed: true });
    expect(await findSession(suite.db.prisma, phone, new Date())).toBeNull();
    expect(await findSession(suite.db.prisma, user.token, new Date())).not.toBeNull();
    expect((await as(user).users.sessions.list()).sessions).toHaveLength(1);
  });

  it("refuses the current session with 400, leaving it alive", async () => {
    const user = await createTestUser(suite.db.prisma);
    await expect(destroy(user, { token_suffix: user.token.slice(-8) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Cannot destroy the current session; log out instead",
    });
    expect(await findSession(suite.db.prisma, user.token, new Date())).not.toBeNull();
  });

  it.each([
    ["an unknown suffix", async () => "zzzzzzzz"],
    ["another user's session", async () => (await createTestUser(suite.db.prisma)).token.slice(-8)],
    ["an already destroyed session", async (user: TestUser) => {
      const token = await extraSession(user);
      await destroy(user, { token_suffix: token.slice(-8) });
      return token.slice(-8);
    }],
    ["an expired session", async (user: TestUser) => (await extraSession(user, { now: new Date(Date.now() - 31 * 24 * 3600 * 1000) })).slice(-8)],
  ])("answers 404 for %s", async (_case, suffixOf) => {
    const user = await createTestUser(suite.db.prisma);
    const suffix = await suffixOf(user);
    await expect(destroy(user, { token_suffix: suffix })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Session not found" });
  });

  it("leaves another user's session alive when its suffix is given", async () => {
    const user = await createTestUser(suite.db.prisma);
    const victim = await createTestUser(suite.db.prisma);
    await destroy(user, { token_suffix: victim.token.slice(-8) }).catch(() => {});
    expect(await findSession(suite.db.prisma, victim.token, new Date())).not.toBeNull();
  });

  it("refuses a missing or empty suffix as a validation error", async () => {
    const user = await createTestUser(suite.db.prisma);
    await expect(destroy(user, {})).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(destroy(user, { token_suffix: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
