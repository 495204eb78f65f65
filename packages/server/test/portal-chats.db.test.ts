// The portal chats procedures (§5.3: create, list, directory, config, kick) through createCaller
// on a real database: who may call each, every validation rule at its boundaries, conflicts,
// slots under concurrency, and the answers read back.
import type { Chat } from "@portal/db";
import { createCaller, createInnerContext, type BrowserVms, type RouterInputs, type Services } from "@portal/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestUser, testConfig, type TestUser, type TestUserOptions } from "../../../test/support/fixtures.ts";
import { createCast, useTestDatabase } from "../../../test/support/suite.ts";
import { issuesOf } from "../../../test/support/validation.ts";
import { BrowserBackendUnavailableError } from "../src/browser-vms/index.ts";

type Inputs = RouterInputs["portal"]["chats"];

const suite = useTestDatabase();
const config = testConfig();
let slugCounter = 0;
const nextSlug = () => `portal-${++slugCounter}`;

let owner: TestUser; // platform Owner
let admin: TestUser;
let moderator: TestUser;
let premium: TestUser;
let basic: TestUser;

beforeAll(async () => {
  ({ owner, admin, moderator, premium, basic } = await createCast(suite.db.prisma));
});

const user = (options: TestUserOptions = {}) => createTestUser(suite.db.prisma, options);

function portal(caller: TestUser | null, services: Partial<Services> = {}, cfg = config) {
  return createCaller(createInnerContext({ db: suite.db.prisma, config: cfg, session: caller?.session ?? null, services })).portal;
}

/** A chat written straight to the database (official and public ones get a fresh slug). */
function seedChat(chatOwner: TestUser, visibility: Chat["visibility"], data: Partial<Chat> = {}) {
  return suite.db.prisma.chat.create({
    data: { ownerId: chatOwner.id, name: `${visibility} chat`, visibility, slug: visibility === "private" ? null : nextSlug(), ...data },
  });
}

const join = (chat: { id: number }, member: TestUser) => suite.db.prisma.chatMember.create({ data: { chatId: chat.id, userId: member.id } });

const unauthorized = { code: "UNAUTHORIZED", message: "Not authenticated" };
const chatNotFound = { code: "NOT_FOUND", message: "Chat not found" };
const cannotManage = { code: "FORBIDDEN", message: "Not allowed to manage this chat" };

describe("portal.chats.create", () => {
  const create = (input: unknown, caller: TestUser | null = premium, services: Partial<Services> = {}, cfg = config) =>
    portal(caller, services, cfg).chats.create(input as Inputs["create"]);

  it("refuses a caller without a session", async () => {
    await expect(create({ name: "Mine" }, null)).rejects.toMatchObject(unauthorized);
  });

  it.each<[string, TestUserOptions]>([
    ["a basic user", {}],
    ["a trial user", { tier: "trial" }],
    ["a basic moderator", { level: "moderator" }],
    ["a premium user whose subscription expired", { tier: "premium", expiresAt: new Date(Date.now() - 60_000) }],
    ["a lifetime user whose subscription expired", { tier: "lifetime", expiresAt: new Date(Date.now() - 60_000) }],
  ])("refuses %s with 'Premium subscription required' and writes nothing", async (_case, options) => {
    const caller = await user(options);
    await expect(create({ name: "Mine" }, caller)).rejects.toMatchObject({ code: "FORBIDDEN", message: "Premium subscription required" });
    expect(await suite.db.prisma.chat.count({ where: { ownerId: caller.id } })).toBe(0);
  });

  it.each<[string, TestUserOptions]>([
    ["a premium user", { tier: "premium" }],
    ["a premium user whose subscription runs until tomorrow", { tier: "premium", expiresAt: new Date(Date.now() + 86_400_000) }],
    ["a lifetime user", { tier: "lifetime" }],
    ["a premium moderator", { level: "moderator", tier: "premium" }],
    ["a basic admin", { level: "admin" }],
    ["a basic owner", { level: "owner" }],
  ])("lets %s create a private chat", async (_case, options) => {
    const caller = await user(options);
    await expect(create({ name: "Mine" }, caller)).resolves.toMatchObject({ visibility: "private", owner: { id: caller.id } });
  });

  it("judges the expiry by the server's clock", async () => {
    const caller = await user({ tier: "premium", expiresAt: new Date("2030-01-01T00:00:00Z") });
    const before = { now: () => new Date("2029-12-31T23:59:59Z") };
    const after = { now: () => new Date("2030-01-01T00:00:00Z") };
    await expect(create({ name: "Before" }, caller, before)).resolves.toBeDefined();
    await expect(create({ name: "After" }, caller, after)).rejects.toMatchObject({ message: "Premium subscription required" });
  });

  it("answers exactly the portal chat shape and stores a private chat", async () => {
    const caller = await user({ tier: "premium", username: "portal_creator" });
    const result = await create({ name: "  Movie night ", description: "Popcorn" }, caller);
    const stored = await suite.db.prisma.chat.findUniqueOrThrow({ where: { id: result.id } });
    expect(result).toStrictEqual({
      id: stored.id,
      chat_type: "group",
      name: "Movie night",
      owner: { id: caller.id, username: "portal_creator", avatar_url: null },
      visibility: "private",
      label: null,
      slug: null,
      description: "Popcorn",
      avatar_url: null,
      archived: false,
    });
    expect(stored).toMatchObject({
      ownerId: caller.id,
      name: "Movie night",
      visibility: "private",
      slug: null,
      label: null,
      browser: "firefox",
      startUrl: null,
      kiosk: false,
      allowControlRequests: false,
      running: false,
    });
  });

  it("stores browser_config and allow_control_requests, and defaults the rest", async () => {
    const result = await create({
      name: "Configured",
      allow_control_requests: true,
      browser_config: { browser: "chromium", start_url: "https://example.com/", kiosk: true },
    });
    expect(await suite.db.prisma.chat.findUniqueOrThrow({ where: { id: result.id } })).toMatchObject({
      allowControlRequests: true,
      browser: "chromium",
      startUrl: "https://example.com/",
      kiosk: true,
    });
    const partial = await create({ name: "Partial", description: null, browser_config: { kiosk: true } });
    expect(partial.description).toBeNull();
    expect(await suite.db.prisma.chat.findUniqueOrThrow({ where: { id: partial.id } })).toMatchObject({ browser: "firefox", startUrl: null, kiosk: true });
  });

  it("is always private: a slug, visibility or label sent along are ignored", async () => {
    const result = await create({ name: "Sneaky", slug: "sneaky", visibility: "official", label: "Staff pick", owner_id: owner.id });
    expect(result).toMatchObject({ visibility: "private", slug: null, label: null, owner: { id: premium.id } });
    expect(await suite.db.prisma.chat.count({ where: { slug: "sneaky" } })).toBe(0);
  });

  describe("validation", () => {
    it.each([
      ["x", false],
      ["xy", true],
      ["n".repeat(64), true],
      ["n".repeat(65), false],
      ["   ", false],
    ])("name %j accepted: %s", async (name, accepted) => {
      const caller = await user({ level: "owner" });
      if (accepted) await expect(create({ name }, caller)).resolves.toMatchObject({ name: name.trim() });
      else expect((await issuesOf(create({ name }, caller))).map((issue) => issue.loc)).toEqual([["body", "name"]]);
    });

    it("accepts a description of 500 characters and refuses 501", async () => {
      const caller = await user({ level: "owner" });
      await expect(create({ name: "Desc", description: "d".repeat(500) }, caller)).resolves.toMatchObject({ description: "d".repeat(500) });
      expect(await issuesOf(create({ name: "Desc", description: "d".repeat(501) }, caller))).toEqual([
        { loc: ["body", "description"], msg: "String should have at most 500 characters", type: "string_too_long" },
      ]);
    });

    it("lists every invalid field at once, the configured-browser check included", async () => {
      const issues = await issuesOf(
        create({ name: 4, description: 5, allow_control_requests: "yes", browser_config: { browser: "netscape", start_url: "ftp://x", kiosk: "no" } }),
      );
      expect(issues.map((issue) => [issue.loc.join("."), issue.type])).toEqual([
        ["body.name", "string_type"],
        ["body.description", "string_type"],
        ["body.allow_control_requests", "bool_type"],
        ["body.browser_config.browser", "enum"],
        ["body.browser_config.start_url", "url_parsing"],
        ["body.browser_config.kiosk", "bool_type"],
      ]);
    });

    it("reports a missing name", async () => {
      expect(await issuesOf(create({}))).toEqual([{ loc: ["body", "name"], msg: "Field required", type: "missing" }]);
    });

    it("checks the session and the subscription before the input", async () => {
      await expect(create({}, null)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      await expect(create({}, basic)).rejects.toMatchObject({ code: "FORBIDDEN" });
    });
  });

  describe("chat slots", () => {
    it("gives a premium user 3 slots by default, counting every chat they own", async () => {
      const caller = await user({ tier: "premium" });
      await seedChat(caller, "public");
      await create({ name: "Two" }, caller);
      await create({ name: "Three" }, caller);
      await expect(create({ name: "Four" }, caller)).rejects.toMatchObject({ code: "CONFLICT", message: "Chat slot limit reached (3 of 3 in use)" });
      expect(await suite.db.prisma.chat.count({ where: { ownerId: caller.id } })).toBe(3);
    });

    it("frees a slot when a chat is deleted", async () => {
      const caller = await user({ tier: "premium", slots: 1 });
      const first = await create({ name: "One" }, caller);
      await expect(create({ name: "Two" }, caller)).rejects.toMatchObject({ message: "Chat slot limit reached (1 of 1 in use)" });
      await suite.db.prisma.chat.delete({ where: { id: first.id } });
      await expect(create({ name: "Two" }, caller)).resolves.toBeDefined();
    });

    it("gives an Admin 5 slots, follows overrides and the configured defaults, and keeps Owners unlimited", async () => {
      const busyAdmin = await user({ level: "admin" });
      for (let i = 0; i < 5; i++) await create({ name: `Admin ${i}` }, busyAdmin);
      await expect(create({ name: "Six" }, busyAdmin)).rejects.toMatchObject({ message: "Chat slot limit reached (5 of 5 in use)" });

      const noSlots = await user({ tier: "lifetime", slots: 0 });
      await expect(create({ name: "None" }, noSlots)).rejects.toMatchObject({ message: "Chat slot limit reached (0 of 0 in use)" });

      const oneSlot = testConfig({ slotDefaults: { premium: 1, admin: 5 } });
      const caller = await user({ tier: "premium" });
      await create({ name: "Only" }, caller, {}, oneSlot);
      await expect(create({ name: "Second" }, caller, {}, oneSlot)).rejects.toMatchObject({ message: "Chat slot limit reached (1 of 1 in use)" });

      const busyOwner = await user({ level: "owner", slots: 0 });
      for (let i = 0; i < 4; i++) await create({ name: `Owner ${i}` }, busyOwner);
      expect(await suite.db.prisma.chat.count({ where: { ownerId: busyOwner.id } })).toBe(4);
    });

    it("never lets parallel creates at the limit exceed it", async () => {
      const caller = await user({ tier: "premium" });
      await create({ name: "Existing" }, caller);
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => create({ name: `Parallel ${i}` }, caller)));
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(2);
      for (const result of results) {
        if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "CONFLICT", message: "Chat slot limit reached (3 of 3 in use)" });
      }
      expect(await suite.db.prisma.chat.count({ where: { ownerId: caller.id } })).toBe(3);
    });
  });
});

describe("portal.chats.list", () => {
  it("refuses a caller without a session", async () => {
    await expect(portal(null).chats.list()).rejects.toMatchObject(unauthorized);
  });

  it("lists official, public, and the private chats the caller owns or belongs to — nothing else", async () => {
    const viewer = await user();
    const stranger = await user({ tier: "premium" });
    const own = await seedChat(viewer, "private", { name: "Own" });
    const joined = await seedChat(stranger, "private", { name: "Joined" });
    await join(joined, viewer);
    const hidden = await seedChat(stranger, "private", { name: "Hidden" });
    const publicChat = await seedChat(stranger, "public", { name: "Open" });
    const official = await seedChat(owner, "official", { name: "Pinned" });

    const ids = (await portal(viewer).chats.list()).map((chat) => chat.id);
    expect(ids).toEqual(expect.arrayContaining([own.id, joined.id, publicChat.id, official.id]));
    expect(ids).not.toContain(hidden.id);
    const everyVisible = await suite.db.prisma.chat.findMany({ where: { OR: [{ visibility: { not: "private" } }, { id: { in: [own.id, joined.id] } }] } });
    expect(ids).toHaveLength(everyVisible.length);
  });

  it("puts official chats first, then public, then private, each oldest first, in the portal chat shape", async () => {
    const viewer = await user();
    await seedChat(viewer, "private");
    const list = await portal(viewer).chats.list();
    const order = { official: 0, public: 1, private: 2 };
    const sorted = [...list].sort((a, b) => order[a.visibility] - order[b.visibility] || a.id - b.id);
    expect(list.map((chat) => chat.id)).toEqual(sorted.map((chat) => chat.id));
    expect(Object.keys(list[0]!).sort()).toEqual(["archived", "avatar_url", "chat_type", "description", "id", "label", "name", "owner", "slug", "visibility"]);
  });

  it("does not show other people's private chats to Admins or Owners (that is admin.chats.list)", async () => {
    const stranger = await user({ tier: "premium" });
    const hidden = await seedChat(stranger, "private");
    for (const staff of [admin, owner]) expect((await portal(staff).chats.list()).map((chat) => chat.id)).not.toContain(hidden.id);
  });
});

/** A stand-in engine: `running` maps chat ids to their viewer counts. */
function fakeVms(running: Map<number, number>, calls = { list: 0 }): BrowserVms {
  return {
    list: async () => {
      calls.list += 1;
      return [...running.keys()].map((chatId) => ({ chatId, running: true, containerId: `c${chatId}` }));
    },
    status: async (chatId: number) => ({ running: running.has(chatId), viewerCount: running.get(chatId) ?? 0 }),
  } as Partial<BrowserVms> as BrowserVms;
}

describe("portal.directory", () => {
  it("needs no session and lists official chats first, then public ones, never private ones", async () => {
    const official = await seedChat(owner, "official", { name: "Lobby" });
    const publicChat = await seedChat(premium, "public", { name: "Hangout" });
    const secret = await seedChat(premium, "private", { name: "Secret" });
    await join(secret, basic);

    for (const caller of [null, basic, owner]) {
      const entries = await portal(caller, { browserVms: fakeVms(new Map()) }).directory();
      const ids = entries.map((entry) => entry.id);
      expect(ids).toEqual(expect.arrayContaining([official.id, publicChat.id]));
      expect(ids).not.toContain(secret.id);
      expect(entries.every((entry) => entry.visibility !== "private")).toBe(true);
      const firstPublic = entries.findIndex((entry) => entry.visibility === "public");
      expect(entries.slice(0, firstPublic).every((entry) => entry.visibility === "official")).toBe(true);
      expect(entries.slice(firstPublic).every((entry) => entry.visibility === "public")).toBe(true);
    }
  });

  it("answers the portal chat shape with the live state, from one engine listing", async () => {
    const live = await seedChat(premium, "public", { name: "Live", running: true });
    const idle = await seedChat(premium, "public", { name: "Idle" });
    const calls = { list: 0 };
    const entries = await portal(null, { browserVms: fakeVms(new Map([[live.id, 4]]), calls) }).directory();
    expect(calls.list).toBe(1);
    expect(entries.find((entry) => entry.id === live.id)).toStrictEqual({
      id: live.id,
      chat_type: "group",
      name: "Live",
      owner: { id: premium.id, username: premium.username, avatar_url: null },
      visibility: "public",
      label: null,
      slug: live.slug,
      description: null,
      avatar_url: null,
      archived: false,
      running: true,
      viewer_count: 4,
    });
    expect(entries.find((entry) => entry.id === idle.id)).toMatchObject({ running: false, viewer_count: 0 });
  });

  it("trusts the engine over the database's flag when they disagree", async () => {
    const stale = await seedChat(premium, "public", { running: true });
    const entries = await portal(null, { browserVms: fakeVms(new Map()) }).directory();
    expect(entries.find((entry) => entry.id === stale.id)).toMatchObject({ running: false, viewer_count: 0 });
  });

  it("falls back to the database's flag without viewers when the engine is unreachable", async () => {
    const flagged = await seedChat(premium, "public", { running: true });
    const down = { list: async () => Promise.reject(new BrowserBackendUnavailableError()) } as Partial<BrowserVms> as BrowserVms;
    const entries = await portal(null, { browserVms: down }).directory();
    expect(entries.find((entry) => entry.id === flagged.id)).toMatchObject({ running: true, viewer_count: 0 });
    // and with the real Docker client and no engine on this machine
    expect((await portal(null).directory()).find((entry) => entry.id === flagged.id)).toMatchObject({ running: true, viewer_count: 0 });
  });
});

describe("portal.chats.config.get", () => {
  const get = (caller: TestUser | null, chat_id: number) => portal(caller).chats.config.get({ chat_id });

  it("answers the config fields to the owner of a private chat", async () => {
    const chat = await seedChat(premium, "private", { name: "Cfg", browser: "brave", startUrl: "https://example.com/", kiosk: true, allowControlRequests: true });
    expect(await get(premium, chat.id)).toStrictEqual({
      chat_id: chat.id,
      name: "Cfg",
      slug: null,
      visibility: "private",
      allow_control_requests: true,
      browser_config: { browser: "brave", start_url: "https://example.com/", kiosk: true },
    });
  });

  it("refuses no session, an unknown chat, and hides private chats the caller cannot see", async () => {
    const chat = await seedChat(premium, "private");
    await expect(get(null, chat.id)).rejects.toMatchObject(unauthorized);
    await expect(get(premium, 999_999)).rejects.toMatchObject(chatNotFound);
    for (const caller of [basic, admin, owner]) await expect(get(caller, chat.id)).rejects.toMatchObject(chatNotFound);
  });

  it("refuses a member of a private chat, and Admins and Owners who are members, with 403", async () => {
    const chat = await seedChat(premium, "private");
    const member = await user();
    for (const caller of [member, admin, owner]) await join(chat, caller);
    for (const caller of [member, admin, owner]) await expect(get(caller, chat.id)).rejects.toMatchObject(cannotManage);
  });

  it("follows the hierarchy against the owner on public and official chats", async () => {
    const userChat = await seedChat(premium, "public");
    const adminChat = await seedChat(admin, "public");
    const ownerChat = await seedChat(owner, "official");
    const otherOwner = await user({ level: "owner" });
    const otherAdmin = await user({ level: "admin" });
    const allowed: [TestUser, Chat][] = [
      [premium, userChat],
      [moderator, userChat],
      [admin, userChat],
      [admin, adminChat],
      [owner, adminChat],
      [owner, ownerChat],
      [otherOwner, ownerChat],
    ];
    const denied: [TestUser, Chat][] = [
      [basic, userChat],
      [moderator, adminChat],
      [otherAdmin, adminChat],
      [admin, ownerChat],
      [premium, ownerChat],
    ];
    for (const [caller, chat] of allowed) await expect(get(caller, chat.id)).resolves.toMatchObject({ chat_id: chat.id, slug: chat.slug });
    for (const [caller, chat] of denied) await expect(get(caller, chat.id)).rejects.toMatchObject(cannotManage);
  });
});

describe("portal.chats.config.update", () => {
  const update = (caller: TestUser | null, input: Record<string, unknown>) => portal(caller).chats.config.update(input as Inputs["config"]["update"]);
  const stored = (chat: { id: number }) => suite.db.prisma.chat.findUniqueOrThrow({ where: { id: chat.id } });
  const updated = { message: "Chat config updated" };

  it("changes the name, allow_control_requests and browser_config, and get reads them back", async () => {
    const chat = await seedChat(premium, "private", { browser: "brave", startUrl: "https://example.com/", kiosk: false });
    await expect(update(premium, { chat_id: chat.id, name: "  Renamed  ", allow_control_requests: true })).resolves.toEqual(updated);
    await expect(update(premium, { chat_id: chat.id, browser_config: { kiosk: true } })).resolves.toEqual(updated);
    expect(await portal(premium).chats.config.get({ chat_id: chat.id })).toEqual({
      chat_id: chat.id,
      name: "Renamed",
      slug: null,
      visibility: "private",
      allow_control_requests: true,
      browser_config: { browser: "brave", start_url: "https://example.com/", kiosk: true },
    });
    await update(premium, { chat_id: chat.id, browser_config: { browser: "vivaldi", start_url: null } });
    expect(await stored(chat)).toMatchObject({ browser: "vivaldi", startUrl: null, kiosk: true });
    await update(premium, { chat_id: chat.id, browser_config: null });
    expect(await stored(chat)).toMatchObject({ browser: "vivaldi", startUrl: null, kiosk: true });
  });

  it("changes nothing for an empty update", async () => {
    const chat = await seedChat(premium, "public");
    await expect(update(premium, { chat_id: chat.id })).resolves.toEqual(updated);
    expect(await stored(chat)).toMatchObject({ name: chat.name, slug: chat.slug, visibility: "public", browser: "firefox" });
  });

  it("makes a private chat public by giving it a slug, and private again by clearing it", async () => {
    const chat = await seedChat(premium, "private");
    const slug = nextSlug();
    await update(premium, { chat_id: chat.id, slug });
    expect(await stored(chat)).toMatchObject({ visibility: "public", slug });
    const other = nextSlug();
    await update(premium, { chat_id: chat.id, slug: other });
    expect(await stored(chat)).toMatchObject({ visibility: "public", slug: other });
    await update(premium, { chat_id: chat.id, slug: null });
    expect(await stored(chat)).toMatchObject({ visibility: "private", slug: null });
    await update(premium, { chat_id: chat.id, slug: null });
    expect(await stored(chat)).toMatchObject({ visibility: "private", slug: null });
  });

  it("keeps an official chat official when its slug changes", async () => {
    const chat = await seedChat(owner, "official");
    const slug = nextSlug();
    await update(owner, { chat_id: chat.id, slug });
    expect(await stored(chat)).toMatchObject({ visibility: "official", slug });
  });

  it("ignores visibility and label: only the slug moves a chat between private and public", async () => {
    const chat = await seedChat(premium, "private");
    await update(premium, { chat_id: chat.id, visibility: "official", label: "Staff pick" });
    expect(await stored(chat)).toMatchObject({ visibility: "private", slug: null, label: null });
    const slug = nextSlug();
    await update(premium, { chat_id: chat.id, visibility: "private", slug });
    expect(await stored(chat)).toMatchObject({ visibility: "public", slug });
  });

  it.each([
    [{ name: "x" }, ["name"], "string_too_short"],
    [{ name: "n".repeat(65) }, ["name"], "string_too_long"],
    [{ name: null }, ["name"], "string_type"],
    [{ slug: "a" }, ["slug"], "string_too_short"],
    [{ slug: "s".repeat(33) }, ["slug"], "string_too_long"],
    [{ slug: "Not-Lower" }, ["slug"], "string_pattern_mismatch"],
    [{ slug: 12 }, ["slug"], "string_type"],
    [{ allow_control_requests: null }, ["allow_control_requests"], "bool_type"],
    [{ browser_config: { browser: "netscape" } }, ["browser_config", "browser"], "enum"],
    [{ browser_config: { start_url: "ftp://example.com" } }, ["browser_config", "start_url"], "url_parsing"],
    [{ browser_config: { kiosk: "yes" } }, ["browser_config", "kiosk"], "bool_type"],
    [{ browser_config: [] }, ["browser_config"], "dict_type"],
  ])("refuses %j (%s) and changes nothing", async (change, loc, type) => {
    const chat = await seedChat(premium, "private", { name: "Untouched" });
    const issues = await issuesOf(update(premium, { chat_id: chat.id, ...change }));
    expect(issues).toEqual([expect.objectContaining({ loc: ["body", ...loc], type })]);
    expect(await stored(chat)).toMatchObject({ name: "Untouched", visibility: "private", slug: null, browser: "firefox" });
  });

  it("accepts the boundary values", async () => {
    const chat = await seedChat(premium, "private");
    for (const change of [{ name: "xy" }, { name: "n".repeat(64) }, { slug: "ab" }, { slug: "s".repeat(32) }, { slug: "a-1" }]) {
      await expect(update(premium, { chat_id: chat.id, ...change })).resolves.toEqual(updated);
    }
    expect(await stored(chat)).toMatchObject({ name: "n".repeat(64), slug: "a-1", visibility: "public" });
  });

  it("refuses a slug another chat uses with 409, naming it, and changes nothing", async () => {
    const taken = await seedChat(owner, "official");
    const chat = await seedChat(premium, "private", { name: "Stays" });
    await expect(update(premium, { chat_id: chat.id, slug: taken.slug, name: "Changed" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `Slug '${taken.slug}' is already taken`,
    });
    expect(await stored(chat)).toMatchObject({ name: "Stays", visibility: "private", slug: null });
  });

  it("lets exactly one of parallel updates racing for one slug win, the others 409", async () => {
    const racer = await user({ level: "owner" });
    const chats = await Promise.all(Array.from({ length: 10 }, () => seedChat(racer, "private")));
    const results = await Promise.allSettled(chats.map((chat) => update(racer, { chat_id: chat.id, slug: "raced-slug" })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "CONFLICT", message: "Slug 'raced-slug' is already taken" });
    }
    expect(await suite.db.prisma.chat.count({ where: { slug: "raced-slug" } })).toBe(1);
    expect(await suite.db.prisma.chat.count({ where: { id: { in: chats.map((chat) => chat.id) }, visibility: "public" } })).toBe(1);
  });

  it("applies the same access rule as config.get", async () => {
    const privateChat = await seedChat(premium, "private", { name: "Private" });
    const member = await user();
    await join(privateChat, member);
    const adminChat = await seedChat(admin, "public", { name: "Admin's" });
    await expect(update(null, { chat_id: privateChat.id, name: "No" })).rejects.toMatchObject(unauthorized);
    await expect(update(premium, { chat_id: 999_999, name: "No" })).rejects.toMatchObject(chatNotFound);
    await expect(update(basic, { chat_id: privateChat.id, name: "No" })).rejects.toMatchObject(chatNotFound);
    await expect(update(admin, { chat_id: privateChat.id, name: "No" })).rejects.toMatchObject(chatNotFound);
    await expect(update(member, { chat_id: privateChat.id, name: "No" })).rejects.toMatchObject(cannotManage);
    await expect(update(moderator, { chat_id: adminChat.id, name: "No" })).rejects.toMatchObject(cannotManage);
    await expect(update(owner, { chat_id: adminChat.id, name: "By owner" })).resolves.toEqual(updated);
    expect((await stored(privateChat)).name).toBe("Private");
    expect((await stored(adminChat)).name).toBe("By owner");
  });
});

describe("portal.chats.kick", () => {
  const kick = (caller: TestUser | null, chat_id: number, user_id: number) => portal(caller).chats.kick({ chat_id, user_id });
  const isMember = async (chat: { id: number }, member: TestUser) =>
    (await suite.db.prisma.chatMember.count({ where: { chatId: chat.id, userId: member.id } })) === 1;

  it("lets the owner of a private chat remove a member, whatever their level", async () => {
    const chat = await seedChat(premium, "private");
    const member = await user();
    await join(chat, member);
    await join(chat, admin);
    await expect(kick(premium, chat.id, member.id)).resolves.toStrictEqual({ ok: true });
    await expect(kick(premium, chat.id, admin.id)).resolves.toStrictEqual({ ok: true });
    expect(await isMember(chat, member)).toBe(false);
    expect(await isMember(chat, admin)).toBe(false);
  });

  it("refuses no session, an unknown chat, and hides a private chat from a user who cannot see it", async () => {
    const chat = await seedChat(premium, "private");
    const member = await user();
    await join(chat, member);
    await expect(kick(null, chat.id, member.id)).rejects.toMatchObject(unauthorized);
    await expect(kick(premium, 999_999, member.id)).rejects.toMatchObject(chatNotFound);
    await expect(kick(basic, chat.id, member.id)).rejects.toMatchObject(chatNotFound);
    await expect(kick(moderator, chat.id, member.id)).rejects.toMatchObject(chatNotFound);
    expect(await isMember(chat, member)).toBe(true);
  });

  it("refuses a member of a private chat with 403", async () => {
    const chat = await seedChat(premium, "private");
    const [member, other] = [await user(), await user()];
    await join(chat, member);
    await join(chat, other);
    await expect(kick(member, chat.id, other.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "Not allowed to kick this user" });
    expect(await isMember(chat, other)).toBe(true);
  });

  it("lets Admin+ kick from any chat, private ones they cannot see included, within the hierarchy", async () => {
    const privateChat = await seedChat(premium, "private");
    const officialChat = await seedChat(owner, "official");
    const [a, b] = [await user(), await user()];
    await join(privateChat, a);
    await join(officialChat, b);
    await join(privateChat, moderator);
    await expect(kick(admin, privateChat.id, a.id)).resolves.toEqual({ ok: true });
    await expect(kick(admin, officialChat.id, b.id)).resolves.toEqual({ ok: true });
    await expect(kick(admin, privateChat.id, moderator.id)).resolves.toEqual({ ok: true });
    const otherAdmin = await user({ level: "admin" });
    await join(officialChat, otherAdmin);
    await expect(kick(admin, officialChat.id, otherAdmin.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "Not allowed to kick this user" });
    expect(await isMember(officialChat, otherAdmin)).toBe(true);
  });

  it("lets a moderator kick users from a public chat whose owner they can act on, not above", async () => {
    const chat = await seedChat(premium, "public");
    const adminChat = await seedChat(admin, "public");
    const [target, peer] = [await user(), await user({ level: "moderator" })];
    await join(chat, target);
    await join(chat, peer);
    await join(adminChat, target);
    await expect(kick(moderator, chat.id, target.id)).resolves.toEqual({ ok: true });
    await expect(kick(moderator, chat.id, peer.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(kick(moderator, adminChat.id, target.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "Not allowed to kick this user" });
    await expect(kick(basic, chat.id, peer.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await isMember(adminChat, target)).toBe(true);
  });

  it("refuses yourself, the owner, a non-member and an unknown user", async () => {
    const chat = await seedChat(premium, "public");
    const outsider = await user();
    await expect(kick(premium, chat.id, premium.id)).rejects.toMatchObject({ code: "BAD_REQUEST", message: "You cannot kick yourself" });
    await expect(kick(admin, chat.id, premium.id)).rejects.toMatchObject({ code: "NOT_FOUND", message: "User is not a member of this chat" });
    await expect(kick(premium, chat.id, outsider.id)).rejects.toMatchObject({ code: "NOT_FOUND", message: "User is not a member of this chat" });
    await expect(kick(premium, chat.id, 999_999)).rejects.toMatchObject({ code: "NOT_FOUND", message: "User is not a member of this chat" });
  });

  it("validates chat_id and user_id", async () => {
    const issues = await issuesOf(portal(premium).chats.kick({ chat_id: 0, user_id: "x" } as unknown as Inputs["kick"]));
    expect(issues.map((issue) => [issue.loc.join("."), issue.type])).toEqual([
      ["body.chat_id", "greater_than"],
      ["body.user_id", "int_parsing"],
    ]);
    const tooLarge = await issuesOf(portal(premium).chats.kick({ chat_id: 2_147_483_648, user_id: 2_147_483_648 }));
    expect(tooLarge.map((issue) => [issue.loc.join("."), issue.type])).toEqual([
      ["body.chat_id", "less_than_equal"],
      ["body.user_id", "less_than_equal"],
    ]);
  });

  it("lets exactly one of two parallel kicks of one member succeed", async () => {
    const chat = await seedChat(premium, "public");
    const target = await user();
    await join(chat, target);
    const results = await Promise.allSettled([kick(premium, chat.id, target.id), kick(admin, chat.id, target.id)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await isMember(chat, target)).toBe(false);
  });
});
