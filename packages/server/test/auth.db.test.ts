// auth.verify and auth.logout (§5.4) and the login codes behind them, through createCaller on a
// real database: wrong, expired, reused and raced codes, the 5-pending cap, the cookie port.
import { createCaller, createInnerContext, createSession, findSession, recordingSessionCookie, type PortalConfig, type RouterInputs } from "@portal/server";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, createTestUser, testConfig, type TestUser } from "../../../test/support/fixtures.ts";
import { useTestDatabase } from "../../../test/support/suite.ts";
import { hashLoginCode, issueLoginCode, LOGIN_CODE_TTL_MS, MAX_PENDING_LOGIN_CODES } from "../src/services/login-codes.ts";

type VerifyInput = RouterInputs["auth"]["verify"];

const suite = useTestDatabase();
const config: PortalConfig = testConfig();
const DAY_S = 24 * 60 * 60;

/** A caller without a session whose cookie and clock the test can see and set. */
function anonymous(options: { now?: Date } = {}) {
  const cookie = recordingSessionCookie();
  const now = options.now;
  const caller = createCaller(
    createInnerContext({
      db: suite.db.prisma,
      config,
      sessionCookie: cookie,
      client: { clientIp: "203.0.113.7", userAgent: "vitest browser" },
      services: now ? { now: () => now } : {},
    }),
  );
  return { caller, cookie };
}

const verify = (code: unknown, options: { now?: Date } = {}) => anonymous(options).caller.auth.verify({ code } as VerifyInput);
const issue = async (user: { id: number; username: string }, now = new Date()) => (await issueLoginCode(suite.db.prisma, user, now)).code;
const INVALID = { code: "UNAUTHORIZED", message: "Invalid or expired code" };

describe("login codes", () => {
  it("are 8 letters and digits, stored only as their hash, valid 10 minutes", async () => {
    const user = await createTestUser(suite.db.prisma);
    const now = new Date("2027-01-01T12:00:00.000Z");
    const { code, expiresAt } = await issueLoginCode(suite.db.prisma, user, now);
    expect(code).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(expiresAt.getTime() - now.getTime()).toBe(LOGIN_CODE_TTL_MS);
    const rows = await suite.db.prisma.loginCode.findMany({ where: { userId: user.id } });
    expect(rows).toEqual([expect.objectContaining({ codeHash: hashLoginCode(code), usedAt: null, expiresAt, createdAt: now })]);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it("differ from one another", async () => {
    const user = await createTestUser(suite.db.prisma);
    const codes = [];
    for (let i = 0; i < MAX_PENDING_LOGIN_CODES; i += 1) codes.push(await issue(user));
    expect(new Set(codes).size).toBe(MAX_PENDING_LOGIN_CODES);
  });

  it(`refuses a ${MAX_PENDING_LOGIN_CODES + 1}th pending code with a clear conflict`, async () => {
    const user = await createTestUser(suite.db.prisma, { username: "busy_user" });
    for (let i = 0; i < MAX_PENDING_LOGIN_CODES; i += 1) await issue(user);
    await expect(issue(user)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "User 'busy_user' already has 5 pending login codes; use one or wait until one expires",
    });
    expect(await suite.db.prisma.loginCode.count({ where: { userId: user.id } })).toBe(MAX_PENDING_LOGIN_CODES);
  });

  it("counts only pending codes: a used or an expired one frees a place", async () => {
    const user = await createTestUser(suite.db.prisma);
    const t0 = new Date("2027-01-01T12:00:00.000Z");
    const first = await issue(user, t0);
    for (let i = 1; i < MAX_PENDING_LOGIN_CODES; i += 1) await issue(user, new Date(t0.getTime() + 60_000));
    await expect(issue(user, new Date(t0.getTime() + 60_000))).rejects.toMatchObject({ code: "CONFLICT" });

    await verify(first, { now: new Date(t0.getTime() + 60_000) });
    await issue(user, new Date(t0.getTime() + 60_000));
    // the four issued a minute after t0 expire at t0 + 11 minutes
    await expect(issue(user, new Date(t0.getTime() + LOGIN_CODE_TTL_MS + 59_000))).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(issue(user, new Date(t0.getTime() + LOGIN_CODE_TTL_MS + 60_000))).resolves.toMatch(/^[A-Za-z0-9]{8}$/);
  });

  it("holds the cap under parallel issues", async () => {
    const user = await createTestUser(suite.db.prisma);
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => issue(user)));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(MAX_PENDING_LOGIN_CODES);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "CONFLICT" });
    expect(await suite.db.prisma.loginCode.count({ where: { userId: user.id, usedAt: null } })).toBe(MAX_PENDING_LOGIN_CODES);
  });
});

describe("auth.verify", () => {
  let member: TestUser;
  beforeAll(async () => {
    member = await createTestUser(suite.db.prisma, { username: "verify_user", tier: "premium", expiresAt: new Date("2030-01-01T00:00:00.000Z") });
    await suite.db.prisma.user.update({ where: { id: member.id }, data: { avatarUrl: "https://cdn.example.com/a.png" } });
  });

  it("turns a code into a session, sets the cookie for the session's lifetime and answers the user", async () => {
    const code = await issue(member);
    const { caller, cookie } = anonymous();
    const result = await caller.auth.verify({ code });
    const stored = await suite.db.prisma.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(result).toStrictEqual({
      user_created: false,
      id: member.id,
      username: "verify_user",
      avatar_url: "https://cdn.example.com/a.png",
      permission_level: 0,
      subscription_tier: 2,
      subscription_expires_at: "2030-01-01T00:00:00.000Z",
      created_at: stored.createdAt.toISOString(),
    });
    expect(cookie.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.maxAgeSeconds).toBe(30 * DAY_S);
    const session = await findSession(suite.db.prisma, cookie.token!, new Date());
    expect(session).toMatchObject({ user: { id: member.id } });
    const row = await suite.db.prisma.session.findUniqueOrThrow({ where: { id: session!.id } });
    expect(row).toMatchObject({ clientIp: "203.0.113.7", userAgent: "vitest browser", tokenSuffix: cookie.token!.slice(-8) });
    expect((await suite.db.prisma.loginCode.findUniqueOrThrow({ where: { codeHash: hashLoginCode(code) } })).usedAt).not.toBeNull();
  });

  it.each([
    ["user", 30 * DAY_S],
    ["moderator", 30 * DAY_S],
    ["admin", DAY_S],
    ["owner", DAY_S],
  ] as const)("gives a %s a session of %i seconds (§2)", async (level, seconds) => {
    const user = await createTestUser(suite.db.prisma, { level });
    const now = new Date("2027-03-01T08:00:00.000Z");
    const code = (await issueLoginCode(suite.db.prisma, user, now)).code;
    const { caller, cookie } = anonymous({ now });
    const result = await caller.auth.verify({ code });
    expect(result.permission_level).toBe({ user: 0, moderator: 1, admin: 2, owner: 3 }[level]);
    expect(cookie.maxAgeSeconds).toBe(seconds);
    const row = await suite.db.prisma.session.findFirstOrThrow({ where: { userId: user.id, createdAt: now } });
    expect(row.expiresAt.getTime() - now.getTime()).toBe(seconds * 1000);
  });

  it("accepts a code with surrounding spaces, as pasted", async () => {
    const code = await issue(member);
    await expect(verify(`  ${code}\n`)).resolves.toMatchObject({ id: member.id });
  });

  it.each([
    ["an unknown code", "Zz9Zz9Zz"],
    ["a code of the wrong length", "abc"],
    ["an empty code", ""],
    ["a very long code", "x".repeat(10_000)],
  ])("refuses %s with 401 Invalid or expired code", async (_case, code) => {
    const { caller, cookie } = anonymous();
    await expect(caller.auth.verify({ code })).rejects.toMatchObject(INVALID);
    expect(cookie.token).toBeNull();
  });

  it("is case-sensitive", async () => {
    let code = await issue(member);
    while (code === code.toUpperCase() || code === code.toLowerCase()) code = await issue(member);
    const swapped = [...code].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
    await expect(verify(swapped)).rejects.toMatchObject(INVALID);
    await expect(verify(code)).resolves.toMatchObject({ id: member.id });
  });

  it("refuses a used code, without creating a second session", async () => {
    const code = await issue(member);
    await verify(code);
    const sessions = await suite.db.prisma.session.count({ where: { userId: member.id } });
    await expect(verify(code)).rejects.toMatchObject(INVALID);
    expect(await suite.db.prisma.session.count({ where: { userId: member.id } })).toBe(sessions);
  });

  it("accepts a code until its 10 minutes are over, then refuses it", async () => {
    const t0 = new Date("2027-02-01T10:00:00.000Z");
    const late = (await issueLoginCode(suite.db.prisma, member, t0)).code;
    await expect(verify(late, { now: new Date(t0.getTime() + LOGIN_CODE_TTL_MS) })).rejects.toMatchObject(INVALID);
    const inTime = (await issueLoginCode(suite.db.prisma, member, t0)).code;
    await expect(verify(inTime, { now: new Date(t0.getTime() + LOGIN_CODE_TTL_MS - 1) })).resolves.toMatchObject({ id: member.id });
  });

  it("lets exactly one of many concurrent verifies of one code through", async () => {
    const user = await createTestUser(suite.db.prisma);
    const code = await issue(user);
    const before = await suite.db.prisma.session.count({ where: { userId: user.id } });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => verify(code)));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject(INVALID);
    expect(await suite.db.prisma.session.count({ where: { userId: user.id } })).toBe(before + 1);
  });

  it("refuses a missing or non-string code as a validation error", async () => {
    await expect(verify(undefined)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(verify(12345678)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("auth.logout", () => {
  it("refuses a caller without a session", async () => {
    await expect(callerFor(suite.db.prisma, config, null).auth.logout()).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "Not authenticated" });
  });

  it("revokes the session, clears the cookie, and the session is dead at once", async () => {
    const user = await createTestUser(suite.db.prisma);
    const other = (await createSession(suite.db.prisma, { id: user.id, permissionLevel: 0 }, {}, new Date())).token;
    const cookie = recordingSessionCookie();
    const caller = createCaller(createInnerContext({ db: suite.db.prisma, config, session: user.session, sessionCookie: cookie }));
    await expect(caller.auth.logout()).resolves.toStrictEqual({ message: "Logged out" });
    expect(cookie.cleared).toBe(true);
    expect(await findSession(suite.db.prisma, user.token, new Date())).toBeNull();
    expect((await suite.db.prisma.session.findUniqueOrThrow({ where: { id: user.session.id } })).revokedAt).not.toBeNull();
    // the user's other sessions go on
    expect(await findSession(suite.db.prisma, other, new Date())).not.toBeNull();
  });
});
