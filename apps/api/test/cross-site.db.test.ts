// The cross-site check over real HTTP: a cookie-carrying mutation from another site's page is
// refused (403) on both transports; the server's own origin, allowed origins, requests without
// Origin, reads and cookie-less requests pass.
import { beforeAll, describe, expect, it } from "vitest";
import { createTestUser, testConfig, type TestUser } from "../../../test/support/fixtures.ts";
import { request } from "../../../test/support/http.ts";
import { useTestApp } from "../../../test/support/suite.ts";

const suite = useTestApp(testConfig({ allowedOrigins: ["https://lobby.example.com"] }));
let user: TestUser;
const REFUSED = { detail: "Cross-site request refused" };

beforeAll(async () => {
  user = await createTestUser(suite.db.prisma);
});

// A harmless mutation: a suffix no session has answers 404 once the request got through.
const destroyUnknown = (headers: Record<string, string>, token: string | undefined = user.token) =>
  request(`${suite.app.url}/v1/users/me/sessions/zzzzzzzz/destroy`, { method: "POST", token, headers });

describe("REST", () => {
  it.each([
    ["another site", "https://evil.example.net"],
    ["the same host on another scheme", () => suite.app.url.replace("http:", "https:")],
    ["the same host on another port", () => suite.app.url.replace(/:\d+$/, ":1")],
    ["an opaque origin", "null"],
    ["a look-alike of an allowed origin", "https://lobby.example.com.evil.example.net"],
  ])("refuses a cookie-carrying POST from %s with 403", async (_case, origin) => {
    const response = await destroyUnknown({ origin: typeof origin === "function" ? origin() : origin });
    expect(response.status).toBe(403);
    expect(response.body).toEqual(REFUSED);
  });

  it("does not run the refused mutation", async () => {
    const logout = await request(`${suite.app.url}/v1/authentication/logout`, { method: "POST", token: user.token, headers: { origin: "https://evil.example.net" } });
    expect(logout.status).toBe(403);
    expect((await request(`${suite.app.url}/v1/users/me`, { token: user.token })).status).toBe(200);
  });

  it.each([
    ["the server's own origin", () => ({ origin: suite.app.url })],
    ["an allowed origin", () => ({ origin: "https://lobby.example.com" })],
    ["no Origin header (curl, scripts)", () => ({})],
    ["its own https origin behind a trusted proxy", () => ({ origin: suite.app.url.replace("http:", "https:"), "x-forwarded-proto": "https" })],
  ])("lets a cookie-carrying POST from %s through", async (_case, headers) => {
    const response = await destroyUnknown(headers());
    expect(response.status).toBe(404);
  });

  it("lets reads from another site through (the cookie's SameSite and CORS govern those)", async () => {
    const response = await request(`${suite.app.url}/v1/users/me`, { token: user.token, headers: { origin: "https://evil.example.net" } });
    expect(response.status).toBe(200);
  });

  it("lets a POST without the cookie through: there is nothing to replay", async () => {
    const response = await request(`${suite.app.url}/v1/authentication/verify`, { body: { code: "Zz9Zz9Zz" }, headers: { origin: "https://evil.example.net" } });
    expect(response.status).toBe(401);
  });
});

describe("tRPC", () => {
  it("refuses a cross-site mutation with tRPC's FORBIDDEN and status 403", async () => {
    const response = await request(`${suite.app.url}/trpc/auth.logout`, { body: {}, token: user.token, headers: { origin: "https://evil.example.net" } });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: { message: "Cross-site request refused", data: { code: "FORBIDDEN", httpStatus: 403 } } });
    expect((await request(`${suite.app.url}/v1/users/me`, { token: user.token })).status).toBe(200);
  });

  it("lets a same-origin mutation through", async () => {
    const response = await request(`${suite.app.url}/trpc/users.sessions.destroy`, { body: { token_suffix: "zzzzzzzz" }, token: user.token, headers: { origin: suite.app.url } });
    expect(response.status).toBe(404);
  });
});
