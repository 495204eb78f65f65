// The typed client (@portal/client) on the login and session procedures and health: the same
// procedures as the REST routes, with tRPC's error codes.
import { createPortalClient, isPortalClientError, type RouterOutputs } from "@portal/client";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createTestUser } from "../../../test/support/fixtures.ts";
import { useTestApp } from "../../../test/support/suite.ts";
import { issueLoginCode } from "../../../packages/server/src/services/login-codes.ts";

const suite = useTestApp();

/** A fetch that keeps the psession cookie the server sets, as a browser would. */
function cookieJar() {
  const jar = { token: undefined as string | undefined, setCookie: null as string | null };
  const fetchWithJar: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.token) headers.set("cookie", `psession=${jar.token}`);
    const response = await fetch(input, { ...init, headers });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) {
      jar.setCookie = setCookie;
      jar.token = /^psession=([^;]*)/.exec(setCookie)?.[1] || undefined;
    }
    return response;
  };
  return { jar, fetch: fetchWithJar };
}

describe("login and sessions through the typed client", () => {
  it("verifies a code, then uses the cookie it got for users.me, the session list and logout", async () => {
    const user = await createTestUser(suite.db.prisma, { username: "client_login" });
    const { code } = await issueLoginCode(suite.db.prisma, user, new Date());
    const { jar, fetch } = cookieJar();
    const client = createPortalClient({ url: suite.app.url, fetch, batch: false });

    const verified = await client.auth.verify.mutate({ code });
    expectTypeOf(verified).toEqualTypeOf<RouterOutputs["auth"]["verify"]>();
    expect(verified).toMatchObject({ user_created: false, id: user.id, username: "client_login" });
    expect(jar.setCookie).toMatch(/^psession=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);

    const me = await client.users.me.query();
    expectTypeOf(me).toEqualTypeOf<RouterOutputs["users"]["me"]>();
    expect(me).toMatchObject({ id: user.id, username: "client_login", permission_level: 0 });

    const { sessions } = await client.users.sessions.list.query();
    expect(sessions.find((session) => session.is_current)?.token_suffix).toBe(jar.token!.slice(-8));
    await expect(client.users.sessions.destroy.mutate({ token_suffix: "nope-nop" })).rejects.toMatchObject({ data: { code: "NOT_FOUND", httpStatus: 404 } });
    await expect(client.users.sessions.destroy.mutate({ token_suffix: user.token.slice(-8) })).resolves.toEqual({ destroyed: true });

    await expect(client.auth.logout.mutate()).resolves.toEqual({ message: "Logged out" });
    expect(jar.token).toBeUndefined();
    await expect(createPortalClient({ url: suite.app.url, sessionToken: user.token }).users.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("surfaces a wrong code as UNAUTHORIZED with the contract's message", async () => {
    const client = createPortalClient({ url: suite.app.url, batch: false });
    const error = await client.auth.verify.mutate({ code: "Zz9Zz9Zz" }).catch((caught: unknown) => caught);
    expect(isPortalClientError(error)).toBe(true);
    expect(error).toMatchObject({ message: "Invalid or expired code", data: { code: "UNAUTHORIZED", httpStatus: 401 } });
  });

  it("reads health without a session", async () => {
    const health = await createPortalClient({ url: suite.app.url }).health.query();
    expect(health).toMatchObject({ database: true, status: expect.stringMatching(/^(healthy|degraded)$/) });
    expect(typeof health.docker).toBe("boolean");
  });
});
