// POST /v1/authentication/verify and /logout over real HTTP (§5.4): every status and body, and
// every attribute of the psession cookie they set and clear.
import { beforeAll, describe, expect, it } from "vitest";
import { createTestUser, type TestUser } from "../../../test/support/fixtures.ts";
import { parseSetCookie, request, type JsonResponse, type SetCookie } from "../../../test/support/http.ts";
import { useTestApp } from "../../../test/support/suite.ts";
import { issueLoginCode } from "../../../packages/server/src/services/login-codes.ts";

const suite = useTestApp();
let member: TestUser;
const verifyUrl = () => `${suite.app.url}/v1/authentication/verify`;
const logoutUrl = () => `${suite.app.url}/v1/authentication/logout`;

beforeAll(async () => {
  member = await createTestUser(suite.db.prisma, { username: "rest_member" });
});

const issue = async (user: { id: number; username: string } = member, now = new Date()) => (await issueLoginCode(suite.db.prisma, user, now)).code;

/** The psession cookie a response sets; fails the test without one. */
function setCookieOf(response: JsonResponse): SetCookie {
  const cookie = parseSetCookie(response.headers.get("set-cookie"));
  expect(cookie, "a Set-Cookie header").not.toBeNull();
  return cookie!;
}

describe("POST /v1/authentication/verify", () => {
  it("answers the user and sets psession: HttpOnly, SameSite=Lax, Path=/, Max-Age of the session, not Secure over http", async () => {
    const response = await request(verifyUrl(), { body: { code: await issue() } });
    expect(response.status).toBe(200);
    const stored = await suite.db.prisma.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(response.text).toBe(
      JSON.stringify({
        user_created: false,
        id: member.id,
        username: "rest_member",
        avatar_url: null,
        permission_level: 0,
        subscription_tier: 0,
        subscription_expires_at: null,
        created_at: stored.createdAt.toISOString(),
      }),
    );
    const cookie = setCookieOf(response);
    expect(cookie.name).toBe("psession");
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes.get("max-age")).toBe(String(30 * 24 * 3600));
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.get("samesite")).toBe("Lax");
    expect(cookie.attributes.has("secure")).toBe(false);
    expect(cookie.attributes.has("domain")).toBe(false);
    expect((await request(`${suite.app.url}/v1/users/me`, { token: cookie.value })).body).toMatchObject({ id: member.id });
  });

  it("gives an Admin a cookie of one day", async () => {
    const admin = await createTestUser(suite.db.prisma, { level: "admin" });
    const response = await request(verifyUrl(), { body: { code: await issue(admin) } });
    expect(setCookieOf(response).attributes.get("max-age")).toBe(String(24 * 3600));
  });

  it("marks the cookie Secure when a trusted proxy says the request came over HTTPS", async () => {
    const response = await request(verifyUrl(), { body: { code: await issue() }, headers: { "x-forwarded-proto": "https" } });
    expect(response.status).toBe(200);
    expect(setCookieOf(response).attributes.has("secure")).toBe(true);
  });

  it("records the client ip a trusted proxy forwards and the user agent on the session", async () => {
    const response = await request(verifyUrl(), {
      body: { code: await issue() },
      headers: { "x-forwarded-for": "198.51.100.23", "user-agent": "Portal lobby/1.0" },
    });
    const token = setCookieOf(response).value;
    const row = await suite.db.prisma.session.findFirstOrThrow({ where: { tokenSuffix: token.slice(-8) } });
    expect(row).toMatchObject({ clientIp: "198.51.100.23", userAgent: "Portal lobby/1.0" });
  });

  describe("401 Invalid or expired code, without a cookie", () => {
    it.each([
      ["an unknown code", async () => "Zz9Zz9Zz"],
      ["a code in the wrong case", async () => {
        let code = await issue();
        while (code.toLowerCase() === code.toUpperCase()) code = await issue();
        return [...code].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
      }],
      ["an expired code", async () => issue(member, new Date(Date.now() - 10 * 60 * 1000 - 1))],
      ["a used code", async () => {
        const code = await issue();
        expect((await request(verifyUrl(), { body: { code } })).status).toBe(200);
        return code;
      }],
    ])("for %s", async (_case, codeOf) => {
      const response = await request(verifyUrl(), { body: { code: await codeOf() } });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: "Invalid or expired code" });
      expect(response.headers.get("set-cookie")).toBeNull();
    });
  });

  it("lets one of parallel verifies of one code through", async () => {
    const code = await issue();
    const responses = await Promise.all(Array.from({ length: 10 }, () => request(verifyUrl(), { body: { code } })));
    expect(responses.map((response) => response.status).sort()).toEqual([200, ...Array<number>(9).fill(401)]);
  });

  it.each([
    ["no body", undefined, [{ loc: ["body"], msg: "Field required", type: "missing" }]],
    ["no code", {}, [{ loc: ["body", "code"], msg: "Field required", type: "missing" }]],
    ["a number", { code: 12345678 }, [{ loc: ["body", "code"], msg: "Input should be a valid string", type: "string_type" }]],
    ["broken JSON", "{", [{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }]],
  ])("answers 422 for %s", async (_case, body, detail) => {
    const response = await request(verifyUrl(), { method: "POST", body });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ detail });
  });

  it("answers 405 to GET", async () => {
    const response = await request(verifyUrl());
    expect(response.status).toBe(405);
    expect(response.body).toEqual({ detail: "Method Not Allowed" });
  });
});

describe("POST /v1/authentication/logout", () => {
  it("answers 401 without a session", async () => {
    const response = await request(logoutUrl(), { method: "POST" });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ detail: "Not authenticated" });
  });

  it("revokes the session, clears the cookie, and the token is refused at once", async () => {
    const user = await createTestUser(suite.db.prisma);
    expect((await request(`${suite.app.url}/v1/users/me`, { token: user.token })).status).toBe(200);
    const response = await request(logoutUrl(), { method: "POST", token: user.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ message: "Logged out" });
    const cleared = setCookieOf(response);
    expect(cleared).toMatchObject({ name: "psession", value: "" });
    expect(new Date(cleared.attributes.get("expires")!).getTime()).toBeLessThanOrEqual(Date.now());
    expect(cleared.attributes.get("path")).toBe("/");
    expect(cleared.attributes.has("httponly")).toBe(true);
    expect(cleared.attributes.get("samesite")).toBe("Lax");

    const after = await request(`${suite.app.url}/v1/users/me`, { token: user.token });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ detail: "Not authenticated" });
    expect((await request(logoutUrl(), { method: "POST", token: user.token })).status).toBe(401);
  });
});
