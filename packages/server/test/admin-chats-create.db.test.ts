// admin.chats.create (§5.1) through createCaller on a real database: the permission matrix,
// every validation rule at its boundaries, conflicts, slots and the exact output.
import type { RouterInputs } from "@portal/server";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, createTestUser, testConfig, type TestUser } from "../../../test/support/fixtures.ts";
import { useTestDatabase } from "../../../test/support/suite.ts";
import { issuesOf } from "../../../test/support/validation.ts";

type CreateInput = RouterInputs["admin"]["chats"]["create"];

const suite = useTestDatabase();
let owner: TestUser;
const config = testConfig();
let slugCounter = 0;
const nextSlug = () => `chat-${++slugCounter}`;

beforeAll(async () => {
  owner = await createTestUser(suite.db.prisma, { level: "owner", username: "owner_user" });
});

const create = (input: unknown, user: TestUser | null = owner, cfg = config) =>
  callerFor(suite.db.prisma, cfg, user).admin.chats.create(input as CreateInput);

async function expectRejectedField(input: Record<string, unknown>, loc: (string | number)[], type: string) {
  const before = await suite.db.prisma.chat.count();
  const issues = await issuesOf(create({ name: "Valid", slug: nextSlug(), ...input }));
  expect(issues).toEqual([expect.objectContaining({ loc: ["body", ...loc], type })]);
  expect(await suite.db.prisma.chat.count()).toBe(before);
}

describe("who may create an official chat", () => {
  it("refuses a caller without a session", async () => {
    await expect(create({ name: "General", slug: nextSlug() }, null)).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "Not authenticated" });
  });

  it.each(["user", "moderator", "admin"] as const)("refuses a %s with 'Owner permission required'", async (level) => {
    const user = await createTestUser(suite.db.prisma, { level, tier: "premium" });
    await expect(create({ name: "General", slug: nextSlug() }, user)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Owner permission required",
    });
    expect(await suite.db.prisma.chat.count({ where: { ownerId: user.id } })).toBe(0);
  });

  it("lets an Owner create it and answers exactly the ChatStatusResponse", async () => {
    const result = await create({ name: "General", slug: "general", description: "Official general chat" });
    const stored = await suite.db.prisma.chat.findUniqueOrThrow({ where: { slug: "general" } });
    expect(result).toStrictEqual({
      chat_id: stored.id,
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
    });
    expect(stored).toMatchObject({
      ownerId: owner.id,
      visibility: "official",
      browser: "firefox",
      startUrl: null,
      kiosk: false,
      allowControlRequests: false,
      label: null,
      avatarSource: null,
      running: false,
    });
  });
});

describe("defaults and stored values", () => {
  it("applies the defaults when optional fields are absent", async () => {
    const slug = nextSlug();
    const result = await create({ name: "Defaults", slug });
    expect(result).toMatchObject({ description: null, allow_control_requests: false, browser: "firefox" });
    const stored = await suite.db.prisma.chat.findUniqueOrThrow({ where: { slug } });
    expect(stored).toMatchObject({ browser: "firefox", startUrl: null, kiosk: false, description: null });
  });

  it("treats null description and browser_config as absent", async () => {
    const slug = nextSlug();
    const result = await create({ name: "Nulls", slug, description: null, browser_config: null });
    expect(result).toMatchObject({ description: null, browser: "firefox" });
  });

  it("stores the whole browser_config and allow_control_requests", async () => {
    const slug = nextSlug();
    const result = await create({
      name: "Configured",
      slug,
      allow_control_requests: true,
      browser_config: { browser: "chromium", start_url: "https://example.com/start?x=1", kiosk: true },
    });
    expect(result).toMatchObject({ browser: "chromium", allow_control_requests: true });
    const stored = await suite.db.prisma.chat.findUniqueOrThrow({ where: { slug } });
    expect(stored).toMatchObject({ browser: "chromium", startUrl: "https://example.com/start?x=1", kiosk: true, allowControlRequests: true });
  });

  it("fills the browser_config fields that are left out", async () => {
    const slug = nextSlug();
    await create({ name: "Partial", slug, browser_config: { kiosk: true } });
    expect(await suite.db.prisma.chat.findUniqueOrThrow({ where: { slug } })).toMatchObject({ browser: "firefox", startUrl: null, kiosk: true });
  });

  it("trims the name and stores it trimmed", async () => {
    const slug = nextSlug();
    const result = await create({ name: "   Padded name \t", slug });
    expect(result.chat_name).toBe("Padded name");
    expect((await suite.db.prisma.chat.findUniqueOrThrow({ where: { slug } })).name).toBe("Padded name");
  });

  it("ignores unknown fields", async () => {
    const result = await create({ name: "Extra", slug: nextSlug(), visibility: "private", owner_id: 999, label: "x" });
    expect(result).toMatchObject({ visibility: "official", label: null, username: "owner_user" });
  });

  it("accepts every configured browser", async () => {
    for (const browser of config.browsers) {
      const result = await create({ name: `B ${browser}`, slug: nextSlug(), browser_config: { browser } });
      expect(result.browser).toBe(browser);
    }
  });
});

describe("validation at the boundaries", () => {
  it.each([
    ["x", false],
    ["xy", true],
    ["n".repeat(64), true],
    ["n".repeat(65), false],
    [`  ${"n".repeat(64)}  `, true],
    [" x ", false],
    ["      ", false],
  ])("name %j accepted: %s", async (name, accepted) => {
    if (accepted) {
      await expect(create({ name, slug: nextSlug() })).resolves.toMatchObject({ chat_name: name.trim() });
    } else {
      await expectRejectedField({ name }, ["name"], name.trim().length < 2 ? "string_too_short" : "string_too_long");
    }
  });

  it.each([
    ["a", "string_too_short"],
    ["s".repeat(33), "string_too_long"],
    ["Upper", "string_pattern_mismatch"],
    ["under_score", "string_pattern_mismatch"],
    ["with space", "string_pattern_mismatch"],
    ["ünï", "string_pattern_mismatch"],
  ])("slug %j is rejected as %s", async (slug, type) => {
    await expectRejectedField({ slug }, ["slug"], type);
  });

  it.each(["ab", "s".repeat(32), "a-1", "0-9-z"])("slug %j is accepted", async (slug) => {
    await expect(create({ name: "Slugged", slug })).resolves.toMatchObject({ slug });
  });

  it("accepts a description of 500 characters and refuses 501", async () => {
    await expect(create({ name: "Desc", slug: nextSlug(), description: "d".repeat(500) })).resolves.toMatchObject({ description: "d".repeat(500) });
    await expectRejectedField({ description: "d".repeat(501) }, ["description"], "string_too_long");
  });

  it("reports missing required fields", async () => {
    expect(await issuesOf(create({}))).toEqual([
      { loc: ["body", "name"], msg: "Field required", type: "missing" },
      { loc: ["body", "slug"], msg: "Field required", type: "missing" },
    ]);
  });

  it("reports wrong types", async () => {
    await expectRejectedField({ name: 42 }, ["name"], "string_type");
    await expectRejectedField({ allow_control_requests: "yes" }, ["allow_control_requests"], "bool_type");
    await expectRejectedField({ browser_config: "firefox" }, ["browser_config"], "dict_type");
    await expectRejectedField({ browser_config: { kiosk: 1 } }, ["browser_config", "kiosk"], "bool_type");
  });

  it("refuses a browser that is not configured", async () => {
    await expectRejectedField({ browser_config: { browser: "netscape" } }, ["browser_config", "browser"], "enum");
  });

  it.each(["ftp://example.com", "javascript:alert(1)", "/relative/path", "example.com", "https://", `https://e.com/${"p".repeat(2035)}`])(
    "refuses start_url %j",
    async (start_url) => {
      const issues = await issuesOf(create({ name: "Url", slug: nextSlug(), browser_config: { start_url } }));
      expect(issues).toEqual([expect.objectContaining({ loc: ["body", "browser_config", "start_url"] })]);
    },
  );

  it("accepts http and https start_urls up to 2048 characters", async () => {
    const long = `https://e.com/${"p".repeat(2048 - "https://e.com/".length)}`;
    expect(long).toHaveLength(2048);
    for (const start_url of ["http://localhost:8080/x", long]) {
      await expect(create({ name: "Url", slug: nextSlug(), browser_config: { start_url } })).resolves.toBeDefined();
    }
  });

  it("lists every invalid field at once, the configured-browser check included", async () => {
    const issues = await issuesOf(
      create({ name: "x", slug: "BAD", description: 7, allow_control_requests: null, browser_config: { browser: "netscape", start_url: "ftp://x" } }),
    );
    expect(issues.map((issue) => issue.loc.join("."))).toEqual([
      "body.name",
      "body.slug",
      "body.description",
      "body.allow_control_requests",
      "body.browser_config.browser",
      "body.browser_config.start_url",
    ]);
  });

  it("checks the session and the level before the input", async () => {
    const user = await createTestUser(suite.db.prisma, { level: "user" });
    await expect(create({}, user)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(create({}, null)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("conflicts", () => {
  it("refuses a slug that is taken, naming it, and writes nothing", async () => {
    await create({ name: "First", slug: "taken" });
    const before = await suite.db.prisma.chat.count();
    await expect(create({ name: "Second", slug: "taken" })).rejects.toMatchObject({ code: "CONFLICT", message: "Slug 'taken' is already taken" });
    expect(await suite.db.prisma.chat.count()).toBe(before);
  });

  it("lets exactly one of 20 parallel creates with one slug win", async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => create({ name: `Racer ${i}`, slug: "race" })));
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const failure of lost) expect(failure.reason).toMatchObject({ code: "CONFLICT", message: "Slug 'race' is already taken" });
    expect(await suite.db.prisma.chat.count({ where: { slug: "race" } })).toBe(1);
  });
});

describe("with the minimum level lowered to admin", () => {
  const lowered = testConfig({ officialChatMinLevel: 2 });

  it("refuses a moderator with 'Admin permission required'", async () => {
    const moderator = await createTestUser(suite.db.prisma, { level: "moderator" });
    await expect(create({ name: "Mod", slug: nextSlug() }, moderator, lowered)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Admin permission required",
    });
  });

  it("caps an admin at the default of 5 slots", async () => {
    const admin = await createTestUser(suite.db.prisma, { level: "admin" });
    for (let i = 0; i < 5; i++) await create({ name: `Admin chat ${i}`, slug: nextSlug() }, admin, lowered);
    await expect(create({ name: "One too many", slug: nextSlug() }, admin, lowered)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Chat slot limit reached (5 of 5 in use)",
    });
    expect(await suite.db.prisma.chat.count({ where: { ownerId: admin.id } })).toBe(5);
  });

  it("follows a per-user slot override", async () => {
    const admin = await createTestUser(suite.db.prisma, { level: "admin", slots: 1 });
    await create({ name: "Only one", slug: nextSlug() }, admin, lowered);
    await expect(create({ name: "Second", slug: nextSlug() }, admin, lowered)).rejects.toMatchObject({
      message: "Chat slot limit reached (1 of 1 in use)",
    });
  });

  it("follows the configured admin default", async () => {
    const admin = await createTestUser(suite.db.prisma, { level: "admin" });
    const twoSlots = testConfig({ officialChatMinLevel: 2, slotDefaults: { premium: 3, admin: 2 } });
    await create({ name: "One", slug: nextSlug() }, admin, twoSlots);
    await create({ name: "Two", slug: nextSlug() }, admin, twoSlots);
    await expect(create({ name: "Three", slug: nextSlug() }, admin, twoSlots)).rejects.toMatchObject({ message: "Chat slot limit reached (2 of 2 in use)" });
  });

  it("never lets parallel creates exceed the last free slot", async () => {
    const admin = await createTestUser(suite.db.prisma, { level: "admin", slots: 3 });
    await create({ name: "Existing", slug: nextSlug() }, admin, lowered);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => create({ name: "Parallel", slug: nextSlug() }, admin, lowered)));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(2);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "CONFLICT", message: "Chat slot limit reached (3 of 3 in use)" });
    }
    expect(await suite.db.prisma.chat.count({ where: { ownerId: admin.id } })).toBe(3);
  });

  it("keeps Owners unlimited", async () => {
    const busyOwner = await createTestUser(suite.db.prisma, { level: "owner", slots: 0 });
    for (let i = 0; i < 3; i++) await create({ name: `Owner chat ${i}`, slug: nextSlug() }, busyOwner, lowered);
    expect(await suite.db.prisma.chat.count({ where: { ownerId: busyOwner.id } })).toBe(3);
  });
});

describe("with an operator's own browser map", () => {
  it("accepts its browsers and refuses the default ones", async () => {
    const custom = testConfig({ browsers: ["kiosk-chrome"], browserImages: { "kiosk-chrome": "registry.local/kiosk:1" } });
    await expect(create({ name: "Custom", slug: nextSlug(), browser_config: { browser: "kiosk-chrome" } }, owner, custom)).resolves.toMatchObject({
      browser: "kiosk-chrome",
    });
    const issues = await issuesOf(create({ name: "Default", slug: nextSlug(), browser_config: { browser: "firefox" } }, owner, custom));
    expect(issues).toEqual([{ loc: ["body", "browser_config", "browser"], msg: "Input should be 'kiosk-chrome'", type: "enum" }]);
  });

  it("fills an absent browser with the configured default browser", async () => {
    const custom = testConfig({
      browsers: ["kiosk-chrome", "kiosk-firefox"],
      browserImages: { "kiosk-chrome": "registry.local/kiosk:1", "kiosk-firefox": "registry.local/kff:1" },
      defaultBrowser: "kiosk-firefox",
    });
    const slug = nextSlug();
    await expect(create({ name: "No browser given", slug }, owner, custom)).resolves.toMatchObject({ browser: "kiosk-firefox" });
    expect((await suite.db.prisma.chat.findUniqueOrThrow({ where: { slug } })).browser).toBe("kiosk-firefox");
  });
});
