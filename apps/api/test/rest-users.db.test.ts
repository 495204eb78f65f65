// GET /v1/users/me, GET /v1/users/me/sessions and POST /v1/users/me/sessions/{token_suffix}/destroy
// over real HTTP (§5.4): every status and body; a destroyed session stops working at once.
import { createSession } from "@portal/server";
import { describe, expect, it } from "vitest";
import { createTestUser, type TestUser } from "../../../test/support/fixtures.ts";
import { request } from "../../../test/support/http.ts";
import { useTestApp } from "../../../test/support/suite.ts";

const suite = useTestApp();

const url = (path: string) => `${suite.app.url}/v1${path}`;
const destroyUrl = (suffix: string) => url(`/users/me/sessions/${encodeURIComponent(suffix)}/destroy`);
const anotherSession = async (user: TestUser, userAgent = "second device") =>
  (await createSession(suite.db.prisma, { id: user.id, permissionLevel: 0 }, { clientIp: "192.0.2.9", userAgent }, new Date())).token;

describe("401 Not authenticated without a session", () => {
  it.each([
    ["GET", "/users/me"],
    ["GET", "/users/me/sessions"],
    ["POST", "/users/me/sessions/abcdefgh/destroy"],
  ])("%s %s", async (method, path) => {
    const response = await request(url(path), { method });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ detail: "Not authenticated" });
  });
});

describe("GET /v1/users/me", () => {
  it("answers exactly the user fields", async () => {
    const user = await createTestUser(suite.db.prisma, { username: "rest_me", level: "admin", tier: "premium", expiresAt: new Date("2028-02-29T12:00:00.000Z") });
    const stored = await suite.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    const response = await request(url("/users/me"), { token: user.token });
    expect(response.status).toBe(200);
    expect(response.text).toBe(
      JSON.stringify({
        id: user.id,
        username: "rest_me",
        avatar_url: null,
        permission_level: 2,
        subscription_tier: 2,
        subscription_expires_at: "2028-02-29T12:00:00.000Z",
        created_at: stored.createdAt.toISOString(),
      }),
    );
  });
});

describe("GET /v1/users/me/sessions", () => {
  it("lists the live sessions, marking the one that asks", async () => {
    const user = await createTestUser(suite.db.prisma);
    const second = await anotherSession(user);
    const response = await request(url("/users/me/sessions"), { token: second });
    expect(response.status).toBe(200);
    const { sessions } = response.body as { sessions: Record<string, unknown>[] };
    expect(sessions).toHaveLength(2);
    expect(Object.keys(sessions[0]!)).toEqual(["token_suffix", "created_at", "expires_at", "client_ip", "user_agent", "is_current"]);
    expect(sessions.find((session) => session.is_current)).toMatchObject({ token_suffix: second.slice(-8), client_ip: "192.0.2.9", user_agent: "second device" });
    expect(sessions.find((session) => !session.is_current)).toMatchObject({ token_suffix: user.token.slice(-8) });
  });
});

describe("POST /v1/users/me/sessions/{token_suffix}/destroy", () => {
  it("destroys another session, which is refused on its very next request", async () => {
    const user = await createTestUser(suite.db.prisma);
    const phone = await anotherSession(user, "phone");
    expect((await request(url("/users/me"), { token: phone })).status).toBe(200);

    const response = await request(destroyUrl(phone.slice(-8)), { method: "POST", token: user.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ destroyed: true });

    const refused = await request(url("/users/me"), { token: phone });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ detail: "Not authenticated" });
    expect((await request(url("/users/me"), { token: user.token })).status).toBe(200);
    const listed = await request(url("/users/me/sessions"), { token: user.token });
    expect((listed.body as { sessions: unknown[] }).sessions).toHaveLength(1);
  });

  it("answers 400 for the current session and leaves it working", async () => {
    const user = await createTestUser(suite.db.prisma);
    const response = await request(destroyUrl(user.token.slice(-8)), { method: "POST", token: user.token });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail: "Cannot destroy the current session; log out instead" });
    expect((await request(url("/users/me"), { token: user.token })).status).toBe(200);
  });

  it("answers 404 for a suffix none of the caller's live sessions has, another user's included", async () => {
    const user = await createTestUser(suite.db.prisma);
    const other = await createTestUser(suite.db.prisma);
    for (const suffix of ["zzzzzzzz", other.token.slice(-8)]) {
      const response = await request(destroyUrl(suffix), { method: "POST", token: user.token });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: "Session not found" });
    }
    expect((await request(url("/users/me"), { token: other.token })).status).toBe(200);
  });

  it("answers 405 to GET", async () => {
    const user = await createTestUser(suite.db.prisma);
    expect((await request(destroyUrl("abcdefgh"), { token: user.token })).status).toBe(405);
  });
});
