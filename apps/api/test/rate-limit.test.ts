// The rate limiter's parts without HTTP: the in-memory store's fixed windows and the tier of each
// route and procedure (§7).
import { describe, expect, it } from "vitest";
import { MemoryRateLimitStore, tierOfProcedure, tierOfRestPath, tiersOfTrpcPath } from "../src/rate-limit/index.ts";

describe("MemoryRateLimitStore", () => {
  function storeWithClock() {
    const clock = { now: 1_000_000 };
    return { clock, store: new MemoryRateLimitStore(() => clock.now) };
  }

  it("counts hits per key in a fixed window that starts with the first hit", async () => {
    const { clock, store } = storeWithClock();
    expect(await store.hit("a", 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    clock.now += 10_000;
    expect(await store.hit("a", 60_000)).toEqual({ count: 2, resetInMs: 50_000 });
    expect(await store.hit("b", 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    expect(await store.hit("a", 60_000, 3)).toEqual({ count: 5, resetInMs: 50_000 });
  });

  it("starts over when the window has ended", async () => {
    const { clock, store } = storeWithClock();
    await store.hit("a", 60_000);
    await store.hit("a", 60_000);
    clock.now += 59_999;
    expect((await store.hit("a", 60_000)).count).toBe(3);
    clock.now += 1;
    expect(await store.hit("a", 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
  });

  it("forgets ended windows, so memory follows the active callers", async () => {
    const { clock, store } = storeWithClock();
    for (let i = 0; i < 100; i += 1) await store.hit(`ip:${i}`, 60_000);
    expect(store.size).toBe(100);
    clock.now += 60_000;
    await store.hit("ip:new", 60_000);
    expect(store.size).toBe(1);
  });
});

describe("tiers", () => {
  it.each([
    ["auth.verify", "login"],
    ["auth.logout", "login"],
    ["admin.chats.create", "admin"],
    ["admin.chats.list", "admin"],
    ["health", "public"],
    ["portal.directory", "public"],
    ["users.me", "auth"],
    ["portal.chats.create", "auth"],
    ["authentication", "auth"],
    ["administrators", "auth"],
  ])("procedure %s counts against %s", (procedure, tier) => {
    expect(tierOfProcedure(procedure)).toBe(tier);
  });

  it.each([
    ["/authentication/verify", "login"],
    ["/Authentication/Logout", "login"],
    ["/admin/chats", "admin"],
    ["/admin/chats/7/start", "admin"],
    ["/ADMIN/chats", "admin"],
    ["/health", "public"],
    ["/health/", "public"],
    ["/portal/directory", "public"],
    ["/users/me", "auth"],
    ["/portal/chats", "auth"],
    ["/administration", "auth"],
    ["/nothing-here", "auth"],
  ])("REST path %s counts against %s", (path, tier) => {
    expect(tierOfRestPath(path)).toBe(tier);
  });

  it("gives a tRPC batch one tier per call", () => {
    expect(tiersOfTrpcPath("/auth.verify,users.me,users.me,admin.chats.list")).toEqual(["login", "auth", "auth", "admin"]);
    expect(tiersOfTrpcPath("/health")).toEqual(["public"]);
    expect(tiersOfTrpcPath("/users.me%2Chealth")).toEqual(["auth", "public"]);
  });
});
