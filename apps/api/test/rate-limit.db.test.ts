// The rate limits of §7 over real HTTP, on both transports: per tier, per session or client ip,
// 429 with Retry-After and RateLimit-* headers, recovery when the window ends (the app's clock is
// moved instead of waiting a minute), tRPC batches counted per call, tokens never used as keys.
import { createServices, type RateLimits } from "@portal/server";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryRateLimitStore, type RateLimitStore } from "../src/rate-limit/index.ts";
import { createTestUser, testConfig, type TestUser } from "../../../test/support/fixtures.ts";
import { request, startTestApp, type JsonResponse, type TestApp } from "../../../test/support/http.ts";
import { useTestDatabase } from "../../../test/support/suite.ts";

const suite = useTestDatabase();
const apps: TestApp[] = [];
const TOO_MANY = { detail: "Too many requests" };

afterAll(async () => {
  for (const app of apps) await app.close();
});

/** An app with its own limits, store and a clock the test moves. */
async function limitedApp(limits: Partial<RateLimits>) {
  const clock = { offsetMs: 0 };
  const now = () => new Date(Date.now() + clock.offsetMs);
  const keys: string[] = [];
  const memory = new MemoryRateLimitStore(() => now().getTime());
  // A store in front of the memory one that records the keys it is given, and answers with a
  // promise as a shared store (Redis, PostgreSQL) would; the app's own memory store answers at once.
  const store: RateLimitStore = {
    hit: async (key, windowMs, cost) => {
      keys.push(key);
      return memory.hit(key, windowMs, cost);
    },
  };
  const config = testConfig({ rateLimits: { login: 0, admin: 0, auth: 0, public: 0, ...limits } });
  const app = await startTestApp(suite.db.prisma, config, { services: createServices(config, { now }), rateLimitStore: store });
  apps.push(app);
  return { app, clock, keys };
}

const headersOf = (response: JsonResponse) => ({
  limit: response.headers.get("ratelimit-limit"),
  remaining: response.headers.get("ratelimit-remaining"),
  reset: response.headers.get("ratelimit-reset"),
  retryAfter: response.headers.get("retry-after"),
});

describe("REST", () => {
  it("limits with the app's own in-memory store, which answers without a promise", async () => {
    const config = testConfig({ rateLimits: { login: 2, admin: 0, auth: 0, public: 0 } });
    const app = await startTestApp(suite.db.prisma, config);
    apps.push(app);
    const verify = () => request(`${app.url}/v1/authentication/verify`, { body: { code: "Zz9Zz9Zz" } });
    const statuses = [(await verify()).status, (await verify()).status, (await verify()).status];
    expect(statuses).toEqual([401, 401, 429]);
  });

  it("limits the authentication routes per client ip (LOGIN), answers 429 with headers, and recovers after the window", async () => {
    const { app, clock } = await limitedApp({ login: 3 });
    const verify = () => request(`${app.url}/v1/authentication/verify`, { body: { code: "Zz9Zz9Zz" } });

    const allowed = [await verify(), await verify(), await verify()];
    expect(allowed.map((response) => response.status)).toEqual([401, 401, 401]);
    expect(allowed.map((response) => headersOf(response).remaining)).toEqual(["2", "1", "0"]);
    expect(headersOf(allowed[0]!)).toMatchObject({ limit: "3", reset: "60", retryAfter: null });

    const refused = await verify();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(TOO_MANY);
    const headers = headersOf(refused);
    expect(headers).toMatchObject({ limit: "3", remaining: "0" });
    expect(Number(headers.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(headers.retryAfter)).toBeLessThanOrEqual(60);
    expect(headers.reset).toBe(headers.retryAfter);

    clock.offsetMs += 30_000;
    const stillRefused = await verify();
    expect(stillRefused.status).toBe(429);
    expect(Number(headersOf(stillRefused).retryAfter)).toBeLessThanOrEqual(30);

    clock.offsetMs += 30_000;
    const recovered = await verify();
    expect(recovered.status).toBe(401);
    expect(headersOf(recovered)).toMatchObject({ limit: "3", remaining: "2", retryAfter: null });
  });

  it("gives each client ip its own count (trusted proxy's X-Forwarded-For), and made-up cookies do not escape it", async () => {
    const { app } = await limitedApp({ login: 2 });
    const verify = (ip: string, token?: string) =>
      request(`${app.url}/v1/authentication/verify`, { body: { code: "Zz9Zz9Zz" }, token, headers: { "x-forwarded-for": ip } });
    expect((await verify("198.51.100.1")).status).toBe(401);
    expect((await verify("198.51.100.1", "made-up-1")).status).toBe(401);
    expect((await verify("198.51.100.1", "made-up-2")).status).toBe(429);
    expect((await verify("198.51.100.2")).status).toBe(401);
  });

  it("limits signed-in calls per session (AUTH), whatever the ip", async () => {
    const { app } = await limitedApp({ auth: 2 });
    const user = await createTestUser(suite.db.prisma);
    const second = await createTestUser(suite.db.prisma);
    const me = (who: TestUser, ip: string) => request(`${app.url}/v1/users/me`, { token: who.token, headers: { "x-forwarded-for": ip } });
    expect((await me(user, "198.51.100.1")).status).toBe(200);
    expect((await me(user, "198.51.100.2")).status).toBe(200);
    const refused = await me(user, "198.51.100.3");
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(TOO_MANY);
    expect((await me(second, "198.51.100.1")).status).toBe(200);
  });

  it("counts each tier separately: ADMIN for /v1/admin, AUTH for the rest, PUBLIC for health", async () => {
    const { app } = await limitedApp({ admin: 1, auth: 5, public: 2 });
    const owner = await createTestUser(suite.db.prisma, { level: "owner" });
    const create = (slug: string) => request(`${app.url}/v1/admin/chats`, { token: owner.token, body: { name: "Limited", slug } });
    const first = await create("limited-1");
    expect(first.status).toBe(200);
    expect(headersOf(first)).toMatchObject({ limit: "1", remaining: "0" });
    expect((await create("limited-2")).status).toBe(429);
    expect(await suite.db.prisma.chat.count({ where: { slug: "limited-2" } })).toBe(0);

    const me = await request(`${app.url}/v1/users/me`, { token: owner.token });
    expect(me.status).toBe(200);
    expect(headersOf(me)).toMatchObject({ limit: "5", remaining: "4" });

    const health = [await request(`${app.url}/v1/health`), await request(`${app.url}/v1/health`), await request(`${app.url}/v1/health`)];
    expect(health.map((response) => response.status)).toEqual([200, 200, 429]);
    expect(headersOf(health[0]!).limit).toBe("2");
  });

  it("sends no rate-limit headers for a tier whose limit is 0", async () => {
    const { app } = await limitedApp({ login: 5 });
    const response = await request(`${app.url}/v1/health`);
    expect(response.status).toBe(200);
    expect(headersOf(response)).toEqual({ limit: null, remaining: null, reset: null, retryAfter: null });
  });

  it("keys counts by session id or ip, never by the token", async () => {
    const { app, keys } = await limitedApp({ login: 10, auth: 10, admin: 10, public: 10 });
    const user = await createTestUser(suite.db.prisma);
    await request(`${app.url}/v1/users/me`, { token: user.token });
    await request(`${app.url}/v1/authentication/verify`, { body: { code: "Zz9Zz9Zz" } });
    expect(keys).toEqual([`auth:session:${user.session.id}`, "login:ip:127.0.0.1"]);
    expect(keys.join(" ")).not.toContain(user.token);
    expect(app.logs.map((line) => JSON.stringify(line)).join("\n")).not.toContain(user.token);
  });
});

describe("tRPC", () => {
  it("counts every call of a batch, and refuses with tRPC's TOO_MANY_REQUESTS and the same headers", async () => {
    const { app } = await limitedApp({ auth: 4 });
    const user = await createTestUser(suite.db.prisma);
    const batch = (calls: number) =>
      request(`${app.url}/trpc/${Array(calls).fill("users.me").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`, { token: user.token });

    const three = await batch(3);
    expect(three.status).toBe(200);
    expect(headersOf(three)).toMatchObject({ limit: "4", remaining: "1" });

    const two = await batch(2);
    expect(two.status).toBe(429);
    expect(Number(headersOf(two).retryAfter)).toBeGreaterThanOrEqual(1);
    expect(two.body).toEqual([0, 1].map(() => ({
      error: expect.objectContaining({ message: "Too many requests", data: expect.objectContaining({ code: "TOO_MANY_REQUESTS", httpStatus: 429 }) }),
    })));
  });

  it("counts auth.* against LOGIN", async () => {
    const { app } = await limitedApp({ login: 1 });
    const verify = () => request(`${app.url}/trpc/auth.verify`, { body: { code: "Zz9Zz9Zz" } });
    expect((await verify()).status).toBe(401);
    const refused = await verify();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { message: "Too many requests", data: { code: "TOO_MANY_REQUESTS" } } });
  });
});
