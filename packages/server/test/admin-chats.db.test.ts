// admin.chats.list, get, update and kick (§5.2) through createCaller on a real database: the
// permission and hierarchy matrix, validation at the boundaries, the §3 slug/visibility
// invariants, conflicts and races, and every happy path read back from the database.
import { createCaller, createInnerContext, type RouterInputs } from "@portal/server";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, createTestUser, testConfig, type TestUser } from "../../../test/support/fixtures.ts";
import { useTestDatabase } from "../../../test/support/suite.ts";
import { issuesOf } from "../../../test/support/validation.ts";

type UpdateInput = RouterInputs["admin"]["chats"]["update"];
type KickInput = RouterInputs["admin"]["chats"]["kick"];
type Visibility = "official" | "public" | "private";

const suite = useTestDatabase();
let owner: TestUser;
let otherOwner: TestUser;
let admin: TestUser;
let otherAdmin: TestUser;
let moderator: TestUser;
let user: TestUser;
const config = testConfig();
let counter = 0;
const nextSlug = () => `slug-${++counter}`;

beforeAll(async () => {
  owner = await createTestUser(suite.db.prisma, { level: "owner", username: "owner_user" });
  otherOwner = await createTestUser(suite.db.prisma, { level: "owner" });
  admin = await createTestUser(suite.db.prisma, { level: "admin", username: "admin_user" });
  otherAdmin = await createTestUser(suite.db.prisma, { level: "admin" });
  moderator = await createTestUser(suite.db.prisma, { level: "moderator" });
  user = await createTestUser(suite.db.prisma, { level: "user", tier: "premium" });
});

const as = (caller: TestUser | null) => callerFor(suite.db.prisma, config, caller).admin.chats;

/** A chat written straight to the database; official and public chats get a fresh slug. */
async function makeChat(chatOwner: TestUser, fields: { visibility?: Visibility; slug?: string | null; name?: string; label?: string | null } = {}) {
  const visibility = fields.visibility ?? "public";
  const slug = fields.slug !== undefined ? fields.slug : visibility === "private" ? null : nextSlug();
  return suite.db.prisma.chat.create({
    data: { ownerId: chatOwner.id, name: fields.name ?? `Chat ${++counter}`, visibility, slug, label: fields.label ?? null },
  });
}

const join = (chatId: number, member: { id: number }, joinedAt = new Date()) => suite.db.prisma.chatMember.create({ data: { chatId, userId: member.id, joinedAt } });
const stored = (chatId: number) => suite.db.prisma.chat.findUniqueOrThrow({ where: { id: chatId } });
const isMember = async (chatId: number, userId: number) => (await suite.db.prisma.chatMember.count({ where: { chatId, userId } })) === 1;

const chatIdOnly = (chatId: number) => ({ chat_id: chatId });

describe("who may call the admin chat routes", () => {
  // Each procedure with an input on a chat of `chatOwner`; update and kick with inputs that pass.
  const calls = {
    get: (caller: TestUser | null, chatId: number) => as(caller).get(chatIdOnly(chatId)),
    update: (caller: TestUser | null, chatId: number) => as(caller).update({ chat_id: chatId }),
    kick: (caller: TestUser | null, chatId: number) => as(caller).kick({ chat_id: chatId, user_id: 987_654 }),
  };

  it("refuses a caller without a session on every route", async () => {
    const chat = await makeChat(user);
    await expect(as(null).list()).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "Not authenticated" });
    for (const call of Object.values(calls)) await expect(call(null, chat.id)).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "Not authenticated" });
  });

  it.each(["user", "moderator"] as const)("refuses a %s with 'Admin permission required' on every route, even on their own chat", async (level) => {
    const caller = level === "user" ? user : moderator;
    const chat = await makeChat(caller);
    await expect(as(caller).list()).rejects.toMatchObject({ code: "FORBIDDEN", message: "Admin permission required" });
    for (const call of Object.values(calls)) await expect(call(caller, chat.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "Admin permission required" });
  });

  it("checks the session and the level before the input", async () => {
    await expect(as(null).update({ chat_id: -1, name: "x" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(as(user).update({ chat_id: -1, name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(moderator).kick({} as KickInput)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  // [caller, chat owner, allowed]: Admin+ and the hierarchy against the chat's owner, or their own chat.
  const matrix = [
    ["admin", "user", true],
    ["admin", "moderator", true],
    ["admin", "admin (self)", true],
    ["admin", "admin (other)", false],
    ["admin", "owner", false],
    ["owner", "user", true],
    ["owner", "admin (other)", true],
    ["owner", "owner (self)", true],
    ["owner", "owner (other)", true],
  ] as const;
  const callers = { admin: () => admin, owner: () => owner };
  const chatOwners = {
    user: () => user,
    moderator: () => moderator,
    "admin (self)": () => admin,
    "admin (other)": () => otherAdmin,
    owner: () => owner,
    "owner (self)": () => owner,
    "owner (other)": () => otherOwner,
  };

  describe.each(matrix)("an %s on a chat owned by %s", (callerName, ownerName, allowed) => {
    it.each(["official", "public", "private"] as const)(`is ${allowed ? "allowed" : "refused with 403"} on its %s chat`, async (visibility) => {
      const caller = callers[callerName]();
      const chat = await makeChat(chatOwners[ownerName](), { visibility });
      if (allowed) {
        await expect(calls.get(caller, chat.id)).resolves.toMatchObject({ id: chat.id });
        await expect(calls.update(caller, chat.id)).resolves.toMatchObject({ id: chat.id });
        // allowed on the chat: the unknown target is what fails
        await expect(calls.kick(caller, chat.id)).rejects.toMatchObject({ code: "NOT_FOUND", message: "User is not a member of this chat" });
      } else {
        for (const call of Object.values(calls)) {
          await expect(call(caller, chat.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "Not allowed to manage this chat" });
        }
      }
    });
  });

  it("answers NOT_FOUND 'Chat not found' for an unknown chat on every route", async () => {
    for (const call of Object.values(calls)) await expect(call(owner, 999_999)).rejects.toMatchObject({ code: "NOT_FOUND", message: "Chat not found" });
  });

  it.each([0, -1, 1.5, "7", "abc", null])("refuses chat_id %j as invalid input", async (chatId) => {
    for (const call of [() => as(owner).get({ chat_id: chatId as number }), () => as(owner).update({ chat_id: chatId as number })]) {
      const issues = await issuesOf(call());
      expect(issues).toEqual([expect.objectContaining({ loc: ["body", "chat_id"] })]);
    }
  });
});

describe("admin.chats.list", () => {
  it("lists every chat of every visibility, oldest first, to an admin and an owner alike", async () => {
    const privateOfOwner = await makeChat(otherOwner, { visibility: "private" });
    const officialOfOwner = await makeChat(owner, { visibility: "official", label: "Staff pick" });
    const publicOfUser = await makeChat(user, { visibility: "public" });
    for (const caller of [admin, owner]) {
      const chats = await as(caller).list();
      const all = await suite.db.prisma.chat.findMany({ orderBy: { id: "asc" } });
      expect(chats.map((chat) => chat.id)).toEqual(all.map((chat) => chat.id));
      expect(chats.map((chat) => chat.id)).toEqual(expect.arrayContaining([privateOfOwner.id, officialOfOwner.id, publicOfUser.id]));
    }
  });

  it("answers exactly the GroupChatPublicResponse of each chat", async () => {
    const chat = await makeChat(user, { visibility: "official", label: "Featured" });
    await suite.db.prisma.chat.update({ where: { id: chat.id }, data: { description: "About it", avatarSource: "https://cdn.example/a.png" } });
    const row = await stored(chat.id);
    const listed = (await as(admin).list()).find((entry) => entry.id === chat.id);
    expect(listed).toStrictEqual({
      id: row.id,
      name: row.name,
      owner_id: user.id,
      is_public: true,
      visibility: "official",
      label: "Featured",
      slug: row.slug,
      description: "About it",
      avatar_source: "https://cdn.example/a.png",
      last_activity_at: row.lastActivityAt.toISOString(),
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    });
    const privateChat = await makeChat(user, { visibility: "private" });
    expect((await as(admin).list()).find((entry) => entry.id === privateChat.id)).toMatchObject({ is_public: false, visibility: "private", slug: null });
  });
});

describe("admin.chats.get", () => {
  /** A caller whose clock is `now`, for the online window. */
  const getAt = (now: Date, chatId: number) =>
    createCaller(createInnerContext({ db: suite.db.prisma, config, session: admin.session, services: { now: () => now } })).admin.chats.get({ chat_id: chatId });

  it("answers the chat, its browser_config and its members, owner excluded, in the order they joined", async () => {
    const chat = await makeChat(user, { visibility: "public", label: "Cool" });
    await suite.db.prisma.chat.update({ where: { id: chat.id }, data: { browser: "chromium", startUrl: "https://example.com/", kiosk: true, description: "Desc" } });
    const first = await createTestUser(suite.db.prisma, { level: "moderator", username: `first_${counter}` });
    const second = await createTestUser(suite.db.prisma, { level: "user", username: `second_${counter}` });
    await suite.db.prisma.user.update({ where: { id: second.id }, data: { avatarUrl: "https://cdn.example/second.png" } });
    await join(chat.id, second, new Date("2026-01-02T00:00:00.000Z"));
    await join(chat.id, first, new Date("2026-01-01T00:00:00.000Z"));
    // An owner's own membership row, if one exists, is not counted.
    await join(chat.id, user, new Date("2025-12-31T00:00:00.000Z"));

    const result = await as(admin).get({ chat_id: chat.id });
    const row = await stored(chat.id);
    expect(result).toStrictEqual({
      id: chat.id,
      name: row.name,
      owner_id: user.id,
      is_public: true,
      visibility: "public",
      label: "Cool",
      slug: row.slug,
      description: "Desc",
      avatar_source: null,
      last_activity_at: row.lastActivityAt.toISOString(),
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
      browser_config: { browser: "chromium", start_url: "https://example.com/", kiosk: true },
      member_count: 2,
      members: [
        {
          user: { id: first.id, username: first.username, avatar_url: null, permission_level: 1 },
          is_online: true,
          joined_at: "2026-01-01T00:00:00.000Z",
        },
        {
          user: { id: second.id, username: second.username, avatar_url: "https://cdn.example/second.png", permission_level: 0 },
          is_online: true,
          joined_at: "2026-01-02T00:00:00.000Z",
        },
      ],
    });
  });

  it("answers no members and the default browser_config for a fresh chat", async () => {
    const chat = await makeChat(user, { visibility: "private" });
    await expect(as(owner).get({ chat_id: chat.id })).resolves.toMatchObject({
      visibility: "private",
      is_public: false,
      slug: null,
      browser_config: { browser: "firefox", start_url: null, kiosk: false },
      member_count: 0,
      members: [],
    });
  });

  it("counts a member online only with a live session seen within the last 5 minutes", async () => {
    const now = new Date("2027-03-01T12:00:00.000Z");
    const minutesAgo = (minutes: number, extraMs = 0) => new Date(now.getTime() - minutes * 60_000 - extraMs);
    const chat = await makeChat(user);
    const cases: [name: string, session: { lastSeenAt: Date; expiresAt?: Date; revokedAt?: Date | null } | null, online: boolean][] = [
      ["just now", { lastSeenAt: now }, true],
      ["exactly 5 minutes ago", { lastSeenAt: minutesAgo(5) }, true],
      ["5 minutes and 1 ms ago", { lastSeenAt: minutesAgo(5, 1) }, false],
      ["an hour ago", { lastSeenAt: minutesAgo(60) }, false],
      ["revoked", { lastSeenAt: now, revokedAt: minutesAgo(1) }, false],
      ["expired", { lastSeenAt: now, expiresAt: minutesAgo(1) }, false],
      ["no session at all", null, false],
    ];
    const expected = new Map<number, boolean>();
    for (const [name, session, online] of cases) {
      const member = await createTestUser(suite.db.prisma, { username: `online_${name.replace(/\W+/g, "_")}_${counter++}` });
      if (session) {
        const data = { lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt ?? new Date(now.getTime() + 86_400_000), revokedAt: session.revokedAt ?? null };
        await suite.db.prisma.session.update({ where: { id: member.session.id }, data });
      } else {
        await suite.db.prisma.session.deleteMany({ where: { userId: member.id } });
      }
      await join(chat.id, member);
      expected.set(member.id, online);
    }
    const result = await getAt(now, chat.id);
    expect(result.member_count).toBe(cases.length);
    expect(new Map(result.members.map((member) => [member.user.id, member.is_online]))).toEqual(expected);
  });

  it("counts a member online when any one of their sessions is live", async () => {
    const now = new Date("2027-03-01T12:00:00.000Z");
    const chat = await makeChat(user);
    const member = await createTestUser(suite.db.prisma);
    await suite.db.prisma.session.update({ where: { id: member.session.id }, data: { lastSeenAt: new Date(now.getTime() - 3_600_000), expiresAt: new Date(now.getTime() + 86_400_000) } });
    await suite.db.prisma.session.create({
      data: { tokenHash: "f".repeat(63) + String(counter++ % 10), tokenSuffix: "suffix01", userId: member.id, lastSeenAt: now, expiresAt: new Date(now.getTime() + 86_400_000) },
    });
    await join(chat.id, member);
    expect((await getAt(now, chat.id)).members).toEqual([expect.objectContaining({ is_online: true })]);
  });
});

describe("admin.chats.update", () => {
  const update = (input: Record<string, unknown>, caller: TestUser = admin) => as(caller).update(input as UpdateInput);

  /** Refused with the 422 list naming `loc`, and nothing stored changed. */
  async function expectRejectedField(chatId: number, input: Record<string, unknown>, loc: (string | number)[], type: string, msg?: string) {
    const before = await stored(chatId);
    const issues = await issuesOf(update({ chat_id: chatId, ...input }));
    expect(issues).toEqual([msg ? { loc: ["body", ...loc], msg, type } : expect.objectContaining({ loc: ["body", ...loc], type })]);
    expect(await stored(chatId)).toEqual(before);
  }

  describe("happy paths, read back", () => {
    it("answers exactly the GroupChatPublicResponse of the stored chat", async () => {
      const chat = await makeChat(user, { visibility: "public" });
      const slug = nextSlug();
      const result = await update({ chat_id: chat.id, name: "  Renamed  ", description: "New words", label: "Editors' pick", slug, visibility: "official" });
      const row = await stored(chat.id);
      expect(row).toMatchObject({ name: "Renamed", description: "New words", label: "Editors' pick", slug, visibility: "official" });
      expect(result).toStrictEqual({
        id: chat.id,
        name: "Renamed",
        owner_id: user.id,
        is_public: true,
        visibility: "official",
        label: "Editors' pick",
        slug,
        description: "New words",
        avatar_source: null,
        last_activity_at: row.lastActivityAt.toISOString(),
        created_at: row.createdAt.toISOString(),
        updated_at: row.updatedAt.toISOString(),
      });
      expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(chat.updatedAt.getTime());
    });

    it("changes only the fields given", async () => {
      const chat = await makeChat(user, { visibility: "official", label: "Keep me", name: "Keep name" });
      await suite.db.prisma.chat.update({ where: { id: chat.id }, data: { description: "Keep desc", browser: "brave", startUrl: "https://keep.example/", kiosk: true } });
      await update({ chat_id: chat.id, description: "Only this" });
      expect(await stored(chat.id)).toMatchObject({
        name: "Keep name",
        label: "Keep me",
        slug: chat.slug,
        visibility: "official",
        description: "Only this",
        browser: "brave",
        startUrl: "https://keep.example/",
        kiosk: true,
      });
    });

    it("answers the chat unchanged for an empty update", async () => {
      const chat = await makeChat(user, { label: "Same" });
      const before = await stored(chat.id);
      await expect(update({ chat_id: chat.id })).resolves.toMatchObject({ id: chat.id, label: "Same", slug: chat.slug, visibility: "public" });
      expect(await stored(chat.id)).toEqual(before);
    });

    it("sets and clears the label", async () => {
      const chat = await makeChat(user);
      await expect(update({ chat_id: chat.id, label: "Verified" })).resolves.toMatchObject({ label: "Verified" });
      expect((await stored(chat.id)).label).toBe("Verified");
      await expect(update({ chat_id: chat.id, label: null })).resolves.toMatchObject({ label: null });
      expect((await stored(chat.id)).label).toBeNull();
    });

    it("sets and clears the description", async () => {
      const chat = await makeChat(user);
      await update({ chat_id: chat.id, description: "Hello" });
      expect((await stored(chat.id)).description).toBe("Hello");
      await expect(update({ chat_id: chat.id, description: null })).resolves.toMatchObject({ description: null });
      expect((await stored(chat.id)).description).toBeNull();
    });

    it("merges browser_config: fields given replace, absent fields stay, start_url null clears", async () => {
      const chat = await makeChat(user);
      await update({ chat_id: chat.id, browser_config: { browser: "chromium", start_url: "https://a.example/" } });
      expect(await stored(chat.id)).toMatchObject({ browser: "chromium", startUrl: "https://a.example/", kiosk: false });
      await update({ chat_id: chat.id, browser_config: { kiosk: true } });
      expect(await stored(chat.id)).toMatchObject({ browser: "chromium", startUrl: "https://a.example/", kiosk: true });
      await update({ chat_id: chat.id, browser_config: { start_url: null } });
      expect(await stored(chat.id)).toMatchObject({ browser: "chromium", startUrl: null, kiosk: true });
      await update({ chat_id: chat.id, browser_config: null });
      await update({ chat_id: chat.id, browser_config: {} });
      expect(await stored(chat.id)).toMatchObject({ browser: "chromium", startUrl: null, kiosk: true });
      await expect(as(owner).get({ chat_id: chat.id })).resolves.toMatchObject({ browser_config: { browser: "chromium", start_url: null, kiosk: true } });
    });

    it("ignores unknown fields and fields this route does not change", async () => {
      const chat = await makeChat(user);
      await update({ chat_id: chat.id, owner_id: admin.id, allow_control_requests: true, avatar_source: "x", is_public: false, id: 1 });
      expect(await stored(chat.id)).toMatchObject({ ownerId: user.id, allowControlRequests: false, avatarSource: null, visibility: "public" });
    });

    it("keeps a chat's own slug when it is sent again", async () => {
      const chat = await makeChat(user, { visibility: "official" });
      await expect(update({ chat_id: chat.id, slug: chat.slug, name: "Same slug" })).resolves.toMatchObject({ slug: chat.slug, visibility: "official" });
    });

    it("lets parallel partial updates of one chat all land", async () => {
      const chat = await makeChat(user);
      await Promise.all([
        update({ chat_id: chat.id, label: "Parallel" }),
        update({ chat_id: chat.id, description: "Parallel too" }),
        update({ chat_id: chat.id, browser_config: { kiosk: true } }),
        update({ chat_id: chat.id, browser_config: { start_url: "https://p.example/" } }),
        update({ chat_id: chat.id, browser_config: { browser: "vivaldi" } }),
        update({ chat_id: chat.id, name: "Parallel name" }),
      ]);
      expect(await stored(chat.id)).toMatchObject({
        label: "Parallel",
        description: "Parallel too",
        kiosk: true,
        startUrl: "https://p.example/",
        browser: "vivaldi",
        name: "Parallel name",
      });
    });
  });

  describe("the slug and visibility invariants (§3)", () => {
    it("makes a public chat private when its slug is cleared", async () => {
      const chat = await makeChat(user, { visibility: "public" });
      await expect(update({ chat_id: chat.id, slug: null })).resolves.toMatchObject({ visibility: "private", is_public: false, slug: null });
      expect(await stored(chat.id)).toMatchObject({ visibility: "private", slug: null });
    });

    it("makes an official chat private when its slug is cleared", async () => {
      const chat = await makeChat(user, { visibility: "official" });
      await expect(update({ chat_id: chat.id, slug: null })).resolves.toMatchObject({ visibility: "private", slug: null });
    });

    it("clears the slug when visibility is set to private", async () => {
      const chat = await makeChat(user, { visibility: "official" });
      await expect(update({ chat_id: chat.id, visibility: "private" })).resolves.toMatchObject({ visibility: "private", is_public: false, slug: null });
      expect(await stored(chat.id)).toMatchObject({ visibility: "private", slug: null });
    });

    it("accepts private with a null slug", async () => {
      const chat = await makeChat(user, { visibility: "public" });
      await expect(update({ chat_id: chat.id, visibility: "private", slug: null })).resolves.toMatchObject({ visibility: "private", slug: null });
    });

    it("makes a private chat public when a slug is set", async () => {
      const chat = await makeChat(user, { visibility: "private" });
      const slug = nextSlug();
      await expect(update({ chat_id: chat.id, slug })).resolves.toMatchObject({ visibility: "public", is_public: true, slug });
      expect(await stored(chat.id)).toMatchObject({ visibility: "public", slug });
    });

    it("makes a private chat official with a slug and visibility together", async () => {
      const chat = await makeChat(user, { visibility: "private" });
      const slug = nextSlug();
      await expect(update({ chat_id: chat.id, slug, visibility: "official" })).resolves.toMatchObject({ visibility: "official", slug });
    });

    it("keeps the stored slug when only visibility changes between public and official", async () => {
      const chat = await makeChat(user, { visibility: "public" });
      await expect(update({ chat_id: chat.id, visibility: "official" })).resolves.toMatchObject({ visibility: "official", slug: chat.slug });
      await expect(update({ chat_id: chat.id, visibility: "public" })).resolves.toMatchObject({ visibility: "public", slug: chat.slug });
    });

    it("changes the slug of a public chat and keeps it public", async () => {
      const chat = await makeChat(user, { visibility: "public" });
      const slug = nextSlug();
      await expect(update({ chat_id: chat.id, slug })).resolves.toMatchObject({ visibility: "public", slug });
    });

    it.each([
      ["public", "A public chat needs a slug"],
      ["official", "An official chat needs a slug"],
    ] as const)("refuses a private chat made %s without a slug (422 on visibility)", async (visibility, msg) => {
      const chat = await makeChat(user, { visibility: "private" });
      await expectRejectedField(chat.id, { visibility }, ["visibility"], "value_error", msg);
    });

    it("refuses clearing the slug while asking for public (422 on visibility)", async () => {
      const chat = await makeChat(user, { visibility: "official" });
      await expectRejectedField(chat.id, { visibility: "public", slug: null }, ["visibility"], "value_error", "A public chat needs a slug");
    });

    it("refuses private with a slug (422 on slug)", async () => {
      const chat = await makeChat(user, { visibility: "public" });
      await expectRejectedField(chat.id, { visibility: "private", slug: nextSlug() }, ["slug"], "value_error", "A private chat cannot have a slug");
    });

    it("writes none of the other fields when the invariant refuses", async () => {
      const chat = await makeChat(user, { visibility: "private" });
      await expectRejectedField(chat.id, { visibility: "public", name: "Not stored", label: "Nope" }, ["visibility"], "value_error");
    });
  });

  describe("validation at the boundaries", () => {
    let chatId: number;
    beforeAll(async () => {
      chatId = (await makeChat(user)).id;
    });

    it.each([
      ["x", false],
      ["xy", true],
      ["n".repeat(64), true],
      ["n".repeat(65), false],
      [`  ${"n".repeat(64)}  `, true],
      ["   ", false],
    ])("name %j accepted: %s", async (name, accepted) => {
      if (accepted) await expect(update({ chat_id: chatId, name })).resolves.toMatchObject({ name: name.trim() });
      else await expectRejectedField(chatId, { name }, ["name"], name.trim().length < 2 ? "string_too_short" : "string_too_long");
    });

    it("refuses a null name", async () => {
      await expectRejectedField(chatId, { name: null }, ["name"], "string_type");
    });

    it.each([
      ["", "string_too_short"],
      ["l".repeat(33), "string_too_long"],
      [7, "string_type"],
    ])("refuses label %j as %s", async (label, type) => {
      await expectRejectedField(chatId, { label }, ["label"], type);
    });

    it.each(["l", "l".repeat(32)])("accepts label %j", async (label) => {
      await expect(update({ chat_id: chatId, label })).resolves.toMatchObject({ label });
    });

    it("accepts a description of 500 characters and refuses 501", async () => {
      await expect(update({ chat_id: chatId, description: "d".repeat(500) })).resolves.toMatchObject({ description: "d".repeat(500) });
      await expectRejectedField(chatId, { description: "d".repeat(501) }, ["description"], "string_too_long");
    });

    it.each([
      ["a", "string_too_short"],
      ["s".repeat(33), "string_too_long"],
      ["Upper", "string_pattern_mismatch"],
      ["under_score", "string_pattern_mismatch"],
      [5, "string_type"],
    ])("refuses slug %j as %s", async (slug, type) => {
      await expectRejectedField(chatId, { slug }, ["slug"], type);
    });

    it.each(["ab", "s".repeat(32), "a-1"])("accepts slug %j", async (slug) => {
      await expect(update({ chat_id: chatId, slug })).resolves.toMatchObject({ slug });
    });

    it.each(["direct", "PUBLIC", null, 1])("refuses visibility %j", async (visibility) => {
      await expectRejectedField(chatId, { visibility }, ["visibility"], "enum");
    });

    it("refuses a browser that is not configured, a bad start_url and a non-boolean kiosk", async () => {
      await expectRejectedField(chatId, { browser_config: { browser: "netscape" } }, ["browser_config", "browser"], "enum");
      await expectRejectedField(chatId, { browser_config: { start_url: "ftp://x.example" } }, ["browser_config", "start_url"], "url_parsing");
      await expectRejectedField(chatId, { browser_config: { start_url: `https://e.com/${"p".repeat(2035)}` } }, ["browser_config", "start_url"], "string_too_long");
      await expectRejectedField(chatId, { browser_config: { kiosk: "yes" } }, ["browser_config", "kiosk"], "bool_type");
      await expectRejectedField(chatId, { browser_config: "firefox" }, ["browser_config"], "dict_type");
    });

    it("lists every invalid field at once, the configured-browser check included", async () => {
      const issues = await issuesOf(
        update({ chat_id: chatId, name: "x", slug: "BAD", label: "", description: 7, visibility: "secret", browser_config: { browser: "netscape", kiosk: 0 } }),
      );
      expect(issues.map((issue) => issue.loc.join("."))).toEqual([
        "body.name",
        "body.visibility",
        "body.label",
        "body.description",
        "body.slug",
        "body.browser_config.browser",
        "body.browser_config.kiosk",
      ]);
    });

    it("validates the input before looking up the chat", async () => {
      await issuesOf(update({ chat_id: 999_999, name: "x" }));
    });
  });

  describe("conflicts", () => {
    it("refuses a slug another chat has, naming it, and writes nothing", async () => {
      const taken = await makeChat(otherOwner, { visibility: "official", slug: "taken-slug" });
      const chat = await makeChat(user, { visibility: "private" });
      const before = await stored(chat.id);
      await expect(update({ chat_id: chat.id, slug: "taken-slug", name: "Should not stick" })).rejects.toMatchObject({
        code: "CONFLICT",
        message: "Slug 'taken-slug' is already taken",
      });
      expect(await stored(chat.id)).toEqual(before);
      expect((await stored(taken.id)).slug).toBe("taken-slug");
    });

    it("lets exactly one of 12 chats racing for one slug win, the rest 409", async () => {
      const chats = await Promise.all(Array.from({ length: 12 }, (_, i) => makeChat(user, { visibility: i % 2 === 0 ? "private" : "public" })));
      const results = await Promise.allSettled(chats.map((chat) => update({ chat_id: chat.id, slug: "contested" })));
      const won = results.filter((result) => result.status === "fulfilled");
      const lost = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
      expect(won).toHaveLength(1);
      for (const failure of lost) expect(failure.reason).toMatchObject({ code: "CONFLICT", message: "Slug 'contested' is already taken" });
      expect(await suite.db.prisma.chat.count({ where: { slug: "contested" } })).toBe(1);
      // the losers kept their own slug and visibility
      for (const chat of chats) {
        const row = await stored(chat.id);
        if (row.slug !== "contested") expect(row).toMatchObject({ slug: chat.slug, visibility: chat.visibility });
      }
    });

    it("answers NOT_FOUND for a chat deleted since", async () => {
      const chat = await makeChat(user);
      await suite.db.prisma.chat.delete({ where: { id: chat.id } });
      await expect(update({ chat_id: chat.id, name: "Gone" })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Chat not found" });
    });
  });
});

describe("admin.chats.kick", () => {
  /** A proof that kick never asks the browser backend: any call fails the test. */
  const noDocker = new Proxy(
    {},
    {
      get: (_target, name) => (name === "then" ? undefined : () => expect.unreachable(`the browser backend was asked: ${String(name)}`)),
    },
  );
  const kick = (input: Record<string, unknown>, caller: TestUser = admin) =>
    createCaller(createInnerContext({ db: suite.db.prisma, config, session: caller.session, services: { browserVms: noDocker as never } })).admin.chats.kick(
      input as KickInput,
    );

  it("removes the membership and names the user and the chat", async () => {
    const chat = await makeChat(user, { name: "Kick room" });
    const target = await createTestUser(suite.db.prisma, { username: `target_${counter++}` });
    const bystander = await createTestUser(suite.db.prisma);
    await join(chat.id, target);
    await join(chat.id, bystander);
    await expect(kick({ chat_id: chat.id, user_id: target.id })).resolves.toStrictEqual({ message: `Kicked ${target.username} from chat 'Kick room'` });
    expect(await isMember(chat.id, target.id)).toBe(false);
    expect(await isMember(chat.id, bystander.id)).toBe(true);
    expect((await as(admin).get({ chat_id: chat.id })).members.map((member) => member.user.id)).toEqual([bystander.id]);
  });

  it("works with the chat's VM stopped and never touches the browser backend", async () => {
    const chat = await makeChat(user, { visibility: "private" });
    await suite.db.prisma.chat.update({ where: { id: chat.id }, data: { running: false } });
    const target = await createTestUser(suite.db.prisma);
    await join(chat.id, target);
    await expect(kick({ chat_id: chat.id, user_id: target.id })).resolves.toMatchObject({ message: expect.stringMatching(/^Kicked /) });
    expect(await isMember(chat.id, target.id)).toBe(false);
  });

  it("refuses kicking yourself with BAD_REQUEST, member or not", async () => {
    const chat = await makeChat(user);
    await join(chat.id, admin);
    await expect(kick({ chat_id: chat.id, user_id: admin.id })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "You cannot kick yourself" });
    expect(await isMember(chat.id, admin.id)).toBe(true);
    const ownChat = await makeChat(owner);
    await expect(kick({ chat_id: ownChat.id, user_id: owner.id }, owner)).rejects.toMatchObject({ code: "BAD_REQUEST", message: "You cannot kick yourself" });
  });

  it.each([
    ["an unknown user", () => 9_999_999],
    ["a user who is not a member", () => moderator.id],
    ["the chat's owner", () => user.id],
  ])("answers NOT_FOUND 'User is not a member of this chat' for %s", async (_case, target) => {
    const chat = await makeChat(user);
    await join(chat.id, user);
    await expect(kick({ chat_id: chat.id, user_id: target() })).rejects.toMatchObject({ code: "NOT_FOUND", message: "User is not a member of this chat" });
    expect(await isMember(chat.id, user.id)).toBe(true);
  });

  // [caller, chat owner, target level, allowed]: Admin+ against the owner, and against the target unless the caller owns the chat.
  it.each([
    ["admin", "user", "user", true],
    ["admin", "user", "moderator", true],
    ["admin", "user", "admin", false],
    ["admin", "user", "owner", false],
    ["admin", "moderator", "moderator", true],
    ["admin", "admin (self)", "admin", true],
    ["admin", "admin (self)", "owner", true],
    ["owner", "user", "admin", true],
    ["owner", "user", "owner", true],
    ["owner", "owner (other)", "owner", true],
  ] as const)("an %s on a chat of %s kicking a member of level %s: allowed %s", async (callerName, ownerName, targetLevel, allowed) => {
    const caller = callerName === "admin" ? admin : owner;
    const chatOwner = { user, moderator, "admin (self)": admin, "owner (other)": otherOwner }[ownerName];
    const chat = await makeChat(chatOwner);
    const target = await createTestUser(suite.db.prisma, { level: targetLevel });
    await join(chat.id, target);
    if (allowed) {
      await expect(kick({ chat_id: chat.id, user_id: target.id }, caller)).resolves.toMatchObject({ message: `Kicked ${target.username} from chat '${chat.name}'` });
      expect(await isMember(chat.id, target.id)).toBe(false);
    } else {
      await expect(kick({ chat_id: chat.id, user_id: target.id }, caller)).rejects.toMatchObject({ code: "FORBIDDEN", message: "Not allowed to kick this user" });
      expect(await isMember(chat.id, target.id)).toBe(true);
    }
  });

  it("refuses an admin on an Owner's chat before looking at the target", async () => {
    const chat = await makeChat(owner);
    const target = await createTestUser(suite.db.prisma);
    await join(chat.id, target);
    await expect(kick({ chat_id: chat.id, user_id: target.id })).rejects.toMatchObject({ code: "FORBIDDEN", message: "Not allowed to manage this chat" });
    expect(await isMember(chat.id, target.id)).toBe(true);
  });

  it("lets one of two parallel kicks of one member succeed and answers the other NOT_FOUND", async () => {
    const chat = await makeChat(user);
    const target = await createTestUser(suite.db.prisma);
    await join(chat.id, target);
    const results = await Promise.allSettled([kick({ chat_id: chat.id, user_id: target.id }), kick({ chat_id: chat.id, user_id: target.id }, owner)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(lost?.reason).toMatchObject({ code: "NOT_FOUND", message: "User is not a member of this chat" });
    expect(await isMember(chat.id, target.id)).toBe(false);
  });

  it.each([
    [{}, "missing"],
    [{ user_id: "abc" }, "int_parsing"],
    [{ user_id: 0 }, "greater_than"],
    [{ user_id: -3 }, "greater_than"],
    [{ user_id: 1.5 }, "int_type"],
  ])("refuses %j with user_id %s", async (input, type) => {
    const chat = await makeChat(user);
    expect(await issuesOf(kick({ chat_id: chat.id, ...input }))).toEqual([expect.objectContaining({ loc: ["body", "user_id"], type })]);
  });
});
