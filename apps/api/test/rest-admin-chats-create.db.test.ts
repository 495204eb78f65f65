// POST /v1/admin/chats over real HTTP through the real app: every status and body of §1 and
// §5.1, nothing written on errors, request ids and request logs.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/support/database.ts";
import { createTestUser, testConfig, type TestUser } from "../../../test/support/fixtures.ts";
import { request, startTestApp } from "../../../test/support/http.ts";
import { useTestApp } from "../../../test/support/suite.ts";

const config = testConfig();
const suite = useTestApp(config);
let owner: TestUser;
let chatsBefore = 0;
const endpoint = () => `${suite.app.url}/v1/admin/chats`;

beforeAll(async () => {
  owner = await createTestUser(suite.db.prisma, { level: "owner", username: "owner_user" });
});
beforeEach(async () => {
  chatsBefore = await suite.db.prisma.chat.count();
});

const expectNothingWritten = async () => expect(await suite.db.prisma.chat.count()).toBe(chatsBefore);

describe("POST /v1/admin/chats", () => {
  it("answers the contract's example body with the new id", async () => {
    const response = await request(endpoint(), {
      token: owner.token,
      body: { name: "General", slug: "general", description: "Official general chat" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const id = (await suite.db.prisma.chat.findUniqueOrThrow({ where: { slug: "general" } })).id;
    expect(response.text).toBe(
      JSON.stringify({
        chat_id: id,
        chat_name: "General",
        username: "owner_user",
        browser: "firefox",
        allow_control_requests: false,
        visibility: "official",
        label: null,
        slug: "general",
        description: "Official general chat",
        avatar_source: null,
        running: false,
        viewer_count: 0,
      }),
    );
  });

  it("reads the body as JSON whatever its content type", async () => {
    const response = await request(endpoint(), {
      token: owner.token,
      body: JSON.stringify({ name: "Plain", slug: "plain-type" }),
      headers: { "content-type": "text/plain" },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ slug: "plain-type" });
  });

  describe("401 Not authenticated", () => {
    it.each([
      ["no cookie", undefined],
      ["an unknown token", "not-a-real-session-token"],
      ["an empty token", ""],
    ])("with %s", async (_case, token) => {
      const response = await request(endpoint(), { token, body: { name: "General", slug: "nope" } });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: "Not authenticated" });
      await expectNothingWritten();
    });

    it("with an expired session", async () => {
      const user = await createTestUser(suite.db.prisma, { level: "owner" });
      await suite.db.prisma.session.update({ where: { id: user.session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const response = await request(endpoint(), { token: user.token, body: { name: "General", slug: "expired" } });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: "Not authenticated" });
      await expectNothingWritten();
    });

    it("with a revoked session, at once", async () => {
      const user = await createTestUser(suite.db.prisma, { level: "owner" });
      expect((await request(endpoint(), { token: user.token, body: { name: "Before", slug: "before-revoke" } })).status).toBe(200);
      await suite.db.prisma.session.update({ where: { id: user.session.id }, data: { revokedAt: new Date() } });
      chatsBefore = await suite.db.prisma.chat.count();
      const response = await request(endpoint(), { token: user.token, body: { name: "After", slug: "after-revoke" } });
      expect(response.status).toBe(401);
      await expectNothingWritten();
    });
  });

  it.each(["user", "moderator", "admin"] as const)("answers 403 Owner permission required to a %s", async (level) => {
    const user = await createTestUser(suite.db.prisma, { level, tier: "lifetime" });
    const response = await request(endpoint(), { token: user.token, body: { name: "General", slug: `by-${level}` } });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ detail: "Owner permission required" });
    await expectNothingWritten();
  });

  it("answers 409 for a slug that is taken", async () => {
    await request(endpoint(), { token: owner.token, body: { name: "First", slug: "dup" } });
    chatsBefore = await suite.db.prisma.chat.count();
    const response = await request(endpoint(), { token: owner.token, body: { name: "Second", slug: "dup" } });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ detail: "Slug 'dup' is already taken" });
    await expectNothingWritten();
  });

  it("answers 409 for the slot limit when the minimum level is lowered", async () => {
    const lowered = await startTestApp(suite.db.prisma, testConfig({ officialChatMinLevel: 2 }));
    try {
      const admin = await createTestUser(suite.db.prisma, { level: "admin", slots: 1 });
      expect((await request(`${lowered.url}/v1/admin/chats`, { token: admin.token, body: { name: "Mine", slug: "admin-one" } })).status).toBe(200);
      chatsBefore = await suite.db.prisma.chat.count();
      const response = await request(`${lowered.url}/v1/admin/chats`, { token: admin.token, body: { name: "More", slug: "admin-two" } });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({ detail: "Chat slot limit reached (1 of 1 in use)" });
      await expectNothingWritten();
      const moderator = await createTestUser(suite.db.prisma, { level: "moderator" });
      const denied = await request(`${lowered.url}/v1/admin/chats`, { token: moderator.token, body: { name: "Mod", slug: "mod-one" } });
      expect(denied.status).toBe(403);
      expect(denied.body).toEqual({ detail: "Admin permission required" });
    } finally {
      await lowered.close();
    }
  });

  describe("422", () => {
    it("lists every invalid field", async () => {
      const response = await request(endpoint(), {
        token: owner.token,
        body: { name: " x ", slug: "Not A Slug", description: "d".repeat(501), browser_config: { browser: "netscape", kiosk: "yes" } },
      });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        detail: [
          { loc: ["body", "name"], msg: "String should have at least 2 characters", type: "string_too_short" },
          { loc: ["body", "slug"], msg: "String should match pattern '^[a-z0-9-]+$'", type: "string_pattern_mismatch" },
          { loc: ["body", "description"], msg: "String should have at most 500 characters", type: "string_too_long" },
          { loc: ["body", "browser_config", "browser"], msg: expect.stringMatching(/^Input should be 'firefox', /), type: "enum" },
          { loc: ["body", "browser_config", "kiosk"], msg: "Input should be a valid boolean", type: "bool_type" },
        ],
      });
      await expectNothingWritten();
    });

    it("reports missing fields", async () => {
      const response = await request(endpoint(), { token: owner.token, body: { description: "only this" } });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        detail: [
          { loc: ["body", "name"], msg: "Field required", type: "missing" },
          { loc: ["body", "slug"], msg: "Field required", type: "missing" },
        ],
      });
    });

    it("reports a missing body", async () => {
      const response = await request(endpoint(), { token: owner.token, method: "POST" });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [{ loc: ["body"], msg: "Field required", type: "missing" }] });
    });

    it.each([
      ["an array", "[]"],
      ["a string", '"general"'],
      ["null", "null"],
    ])("reports a body that is %s", async (_case, body) => {
      const response = await request(endpoint(), { token: owner.token, body });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [expect.objectContaining({ loc: ["body"], type: "dict_type" })] });
      await expectNothingWritten();
    });

    it("answers malformed JSON with json_invalid", async () => {
      const response = await request(endpoint(), { token: owner.token, body: '{"name": "General", "slug": ' });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }] });
      await expectNothingWritten();
    });

    it("answers malformed JSON before authentication problems are known", async () => {
      const response = await request(endpoint(), { body: "{oops" });
      expect(response.status).toBe(422);
    });
  });

  it("answers 413 over 64 KiB and still reads a body just under it", async () => {
    const padding = (size: number) => JSON.stringify({ name: "Big", slug: "big-body", description: "x", pad: "p".repeat(size) });
    const tooLarge = padding(64 * 1024);
    expect(Buffer.byteLength(tooLarge)).toBeGreaterThan(64 * 1024);
    const response = await request(endpoint(), { token: owner.token, body: tooLarge });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ detail: "Request body too large" });
    await expectNothingWritten();

    const justUnder = padding(64 * 1024 - 100);
    expect(Buffer.byteLength(justUnder)).toBeLessThanOrEqual(64 * 1024);
    expect((await request(endpoint(), { token: owner.token, body: justUnder })).status).toBe(200);
  });

  it("gives exactly one of 20 parallel creates with one slug a 200, the rest 409, never 500", async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(endpoint(), { token: owner.token, body: { name: `Racer ${i}`, slug: "race-slug" } })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(409)]);
    for (const response of responses.filter((r) => r.status === 409)) expect(response.body).toEqual({ detail: "Slug 'race-slug' is already taken" });
    expect(await suite.db.prisma.chat.count({ where: { slug: "race-slug" } })).toBe(1);
  });
});

describe("routing under /v1", () => {
  it("answers an unknown route with a JSON 404", async () => {
    for (const path of ["/v1/nothing-here", "/v1/admin/chats/1/unknown", "/v1"]) {
      const response = await request(`${suite.app.url}${path}`, { token: owner.token });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: "Not Found" });
    }
  });

  it.each(["PUT", "PATCH", "DELETE"])("answers %s on a known path with a JSON 405", async (method) => {
    const response = await request(endpoint(), { method, token: owner.token });
    expect(response.status).toBe(405);
    expect(response.body).toEqual({ detail: "Method Not Allowed" });
  });
});

describe("request ids and logs", () => {
  it("puts an x-request-id on every response, echoing a sane incoming one", async () => {
    const responses = await Promise.all([
      request(endpoint(), { token: owner.token, body: { name: "Id", slug: "with-id" } }),
      request(endpoint(), { body: {} }),
      request(`${suite.app.url}/v1/nothing`),
      request(endpoint(), { body: "{" }),
      request(`${suite.app.url}/elsewhere`),
    ]);
    for (const response of responses) expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(responses.map((response) => response.headers.get("x-request-id"))).size).toBe(responses.length);

    const echoed = await request(`${suite.app.url}/v1/nothing`, { headers: { "x-request-id": "trace-abc.123" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-abc.123");
    const replaced = await request(`${suite.app.url}/v1/nothing`, { headers: { "x-request-id": "bad id with spaces" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs one line per request with id, method, route, status and duration, and never the token", async () => {
    const response = await request(endpoint(), { token: owner.token, body: { name: "Logged", slug: "logged" } });
    const id = response.headers.get("x-request-id");
    const lines = suite.app.logs.filter((line) => line.reqId === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: "request", method: "POST", route: "/v1/admin/chats", status: 200, durationMs: expect.any(Number) });
    expect(JSON.stringify(suite.app.logs)).not.toContain(owner.token);
  });
});

describe("an unexpected failure", () => {
  it("answers 500 Internal server error and logs the real error with the request id", async () => {
    const broken = await openTestDatabase();
    const brokenApp = await startTestApp(broken.prisma, config);
    try {
      const user = await createTestUser(broken.prisma, { level: "owner" });
      await broken.prisma.$executeRawUnsafe("ALTER TABLE chats RENAME TO chats_gone");
      const response = await request(`${brokenApp.url}/v1/admin/chats`, { token: user.token, body: { name: "Boom", slug: "boom" } });
      expect(response.status).toBe(500);
      expect(response.text).toBe('{"detail":"Internal server error"}');
      const id = response.headers.get("x-request-id");
      const errorLine = brokenApp.logs.find((line) => line.reqId === id && line.msg === "unexpected error");
      expect(JSON.stringify(errorLine)).toContain("chats");
    } finally {
      await brokenApp.close();
      await broken.close();
    }
  });
});

describe("tRPC over HTTP in the same app", () => {
  it("creates through /trpc/admin.chats.create with the same cookie", async () => {
    const response = await request(`${suite.app.url}/trpc/admin.chats.create`, { token: owner.token, body: { name: "Via tRPC", slug: "via-trpc" } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ result: { data: { chat_name: "Via tRPC", slug: "via-trpc", visibility: "official" } } });
  });

  it("answers 401 without a session and hides internals", async () => {
    const response = await request(`${suite.app.url}/trpc/admin.chats.create`, { body: { name: "Via tRPC", slug: "via-trpc-2" } });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { message: "Not authenticated", data: { code: "UNAUTHORIZED" } } });
  });
});
