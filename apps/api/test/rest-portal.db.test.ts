// The /v1/portal routes of §5.3 (create, list, directory, config, invites, resolve, kick) over
// real HTTP through the real app: every status and body, 422 locations in the path and the body,
// 410 for invites that can no longer be used, and nothing written on errors.
import type { Chat } from "@portal/db";
import { createServices, type BrowserVms } from "@portal/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestUser, testConfig, type TestUser, type TestUserOptions } from "../../../test/support/fixtures.ts";
import { request, startTestApp, type JsonResponse } from "../../../test/support/http.ts";
import { useTestApp } from "../../../test/support/suite.ts";

const config = testConfig();
const suite = useTestApp(config);
let slugCounter = 0;

let owner: TestUser;
let premium: TestUser;
let basic: TestUser;

beforeAll(async () => {
  owner = await createTestUser(suite.db.prisma, { level: "owner", username: "rest_owner" });
  premium = await createTestUser(suite.db.prisma, { tier: "premium", username: "rest_premium" });
  basic = await createTestUser(suite.db.prisma, { username: "rest_basic" });
});

const user = (options: TestUserOptions = {}) => createTestUser(suite.db.prisma, options);
const url = (path: string) => `${suite.app.url}/v1${path}`;
const get = (path: string, caller?: TestUser | null) => request(url(path), { token: caller?.token });
const post = (path: string, caller?: TestUser | null, body?: unknown) => request(url(path), { method: "POST", token: caller?.token, body });

function seedChat(chatOwner: TestUser, visibility: Chat["visibility"] = "private", data: Partial<Chat> = {}) {
  return suite.db.prisma.chat.create({
    data: { ownerId: chatOwner.id, name: `${visibility} chat`, visibility, slug: visibility === "private" ? null : `rest-${++slugCounter}`, ...data },
  });
}

const join = (chat: { id: number }, member: TestUser) => suite.db.prisma.chatMember.create({ data: { chatId: chat.id, userId: member.id } });

function expectError(response: JsonResponse, status: number, detail: unknown) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.body).toEqual({ detail });
}

const notAuthenticated = "Not authenticated";
const chatNotFound = "Chat not found";
const cannotManage = "Not allowed to manage this chat";

describe("POST /v1/portal/chats", () => {
  it("creates a private chat and answers exactly the portal chat shape", async () => {
    const response = await post("/portal/chats", premium, { name: "Movie night", description: "Popcorn", slug: "ignored" });
    expect(response.status).toBe(200);
    const id = (response.body as { id: number }).id;
    expect(response.text).toBe(
      JSON.stringify({
        id,
        chat_type: "group",
        name: "Movie night",
        owner: { id: premium.id, username: "rest_premium", avatar_url: null },
        visibility: "private",
        label: null,
        slug: null,
        description: "Popcorn",
        avatar_url: null,
        archived: false,
      }),
    );
    expect(await suite.db.prisma.chat.findUniqueOrThrow({ where: { id } })).toMatchObject({ visibility: "private", slug: null });
  });

  it("answers 401 without a session, 403 without a premium subscription", async () => {
    const before = await suite.db.prisma.chat.count();
    expectError(await post("/portal/chats", null, { name: "Nope" }), 401, notAuthenticated);
    expectError(await post("/portal/chats", basic, { name: "Nope" }), 403, "Premium subscription required");
    const expired = await user({ tier: "premium", expiresAt: new Date(Date.now() - 1000) });
    expectError(await post("/portal/chats", expired, { name: "Nope" }), 403, "Premium subscription required");
    expect(await suite.db.prisma.chat.count()).toBe(before);
  });

  it("answers 409 at the slot limit, and only one of parallel creates takes the last slot", async () => {
    const caller = await user({ tier: "premium", slots: 2 });
    expect((await post("/portal/chats", caller, { name: "One" })).status).toBe(200);
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => post("/portal/chats", caller, { name: `Racer ${i}` })));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    for (const response of responses.filter((r) => r.status === 409)) expectError(response, 409, "Chat slot limit reached (2 of 2 in use)");
    expect(await suite.db.prisma.chat.count({ where: { ownerId: caller.id } })).toBe(2);
  });

  it("answers 422 with one entry per invalid field, for malformed JSON and for a body that is not an object", async () => {
    expectError(await post("/portal/chats", premium, { description: "d".repeat(501), browser_config: { browser: "netscape" } }), 422, [
      { loc: ["body", "name"], msg: "Field required", type: "missing" },
      { loc: ["body", "description"], msg: "String should have at most 500 characters", type: "string_too_long" },
      { loc: ["body", "browser_config", "browser"], msg: expect.stringContaining("Input should be 'firefox'"), type: "enum" },
    ]);
    expectError(await post("/portal/chats", premium, "{"), 422, [{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }]);
    expectError(await post("/portal/chats", premium), 422, [{ loc: ["body"], msg: "Field required", type: "missing" }]);
  });
});

describe("GET /v1/portal/chats", () => {
  it("lists what the caller can see", async () => {
    const viewer = await user();
    const own = await seedChat(viewer);
    const hidden = await seedChat(premium);
    const publicChat = await seedChat(premium, "public");
    const response = await get("/portal/chats", viewer);
    expect(response.status).toBe(200);
    const ids = (response.body as { id: number }[]).map((chat) => chat.id);
    expect(ids).toEqual(expect.arrayContaining([own.id, publicChat.id]));
    expect(ids).not.toContain(hidden.id);
    expect((response.body as object[])[0]).toHaveProperty("chat_type", "group");
  });

  it("answers 401 without a session", async () => {
    expectError(await get("/portal/chats"), 401, notAuthenticated);
  });
});

describe("GET /v1/portal/directory", () => {
  it("needs no session: official chats first, then public, never private, with live state", async () => {
    const official = await seedChat(owner, "official", { name: "Pinned", running: true });
    const publicChat = await seedChat(premium, "public", { name: "Open" });
    const hidden = await seedChat(premium);
    const response = await get("/portal/directory");
    expect(response.status).toBe(200);
    const entries = response.body as { id: number; visibility: string; running: boolean; viewer_count: number }[];
    expect(entries.map((entry) => entry.id)).toEqual(expect.arrayContaining([official.id, publicChat.id]));
    expect(entries.map((entry) => entry.id)).not.toContain(hidden.id);
    expect(entries.map((entry) => entry.visibility)).toEqual([...entries.map((entry) => entry.visibility)].sort());
    // no engine on this machine: the database's flag, no viewers
    expect(entries.find((entry) => entry.id === official.id)).toMatchObject({ running: true, viewer_count: 0 });
    expect(entries.find((entry) => entry.id === publicChat.id)).toStrictEqual({
      id: publicChat.id,
      chat_type: "group",
      name: "Open",
      owner: { id: premium.id, username: "rest_premium", avatar_url: null },
      visibility: "public",
      label: null,
      slug: publicChat.slug,
      description: null,
      avatar_url: null,
      archived: false,
      running: false,
      viewer_count: 0,
    });
  });

  it("reports the engine's running chats and their viewers", async () => {
    const live = await seedChat(premium, "public", { name: "Live" });
    const browserVms = {
      list: async () => [{ chatId: live.id, running: true, containerId: "c1" }],
      status: async () => ({ running: true, viewerCount: 7 }),
    } as Partial<BrowserVms> as BrowserVms;
    const withEngine = await startTestApp(suite.db.prisma, config, { services: createServices(config, { browserVms }) });
    try {
      const response = await request(`${withEngine.url}/v1/portal/directory`);
      expect((response.body as { id: number }[]).find((entry) => entry.id === live.id)).toMatchObject({ running: true, viewer_count: 7 });
    } finally {
      await withEngine.close();
    }
  });

  it("answers 405 to a POST", async () => {
    expectError(await post("/portal/directory", owner, {}), 405, "Method Not Allowed");
  });
});

describe("GET /v1/portal/chats/{chat_id}/config", () => {
  it("answers the config fields to the owner", async () => {
    const chat = await seedChat(premium, "public", { name: "Cfg", browser: "chromium" });
    const response = await get(`/portal/chats/${chat.id}/config`, premium);
    expect(response.status).toBe(200);
    expect(response.text).toBe(
      JSON.stringify({
        chat_id: chat.id,
        name: "Cfg",
        slug: chat.slug,
        visibility: "public",
        allow_control_requests: false,
        browser_config: { browser: "chromium", start_url: null, kiosk: false },
      }),
    );
  });

  it("answers 401, 404 for unknown and unseen chats, 403 for a member, 422 for a bad path", async () => {
    const chat = await seedChat(premium);
    const member = await user();
    await join(chat, member);
    expectError(await get(`/portal/chats/${chat.id}/config`), 401, notAuthenticated);
    expectError(await get("/portal/chats/999999/config", premium), 404, chatNotFound);
    expectError(await get(`/portal/chats/${chat.id}/config`, basic), 404, chatNotFound);
    expectError(await get(`/portal/chats/${chat.id}/config`, member), 403, cannotManage);
    expectError(await get("/portal/chats/abc/config", premium), 422, [
      { loc: ["path", "chat_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" },
    ]);
    // beyond PostgreSQL's integer ids: refused as input, never a failed query
    expectError(await get("/portal/chats/2147483648/config", premium), 422, [
      { loc: ["path", "chat_id"], msg: "Input should be less than or equal to 2147483647", type: "less_than_equal" },
    ]);
  });
});

describe("POST /v1/portal/chats/{chat_id}/config/update", () => {
  it("updates, answers the message, and the slug moves the chat between private and public", async () => {
    const chat = await seedChat(premium);
    const response = await post(`/portal/chats/${chat.id}/config/update`, premium, { name: "Renamed", slug: "rest-made-public", browser_config: { kiosk: true } });
    expect(response.status).toBe(200);
    expect(response.text).toBe('{"message":"Chat config updated"}');
    expect((await get(`/portal/chats/${chat.id}/config`, premium)).body).toMatchObject({
      name: "Renamed",
      slug: "rest-made-public",
      visibility: "public",
      browser_config: { browser: "firefox", start_url: null, kiosk: true },
    });
    expect((await post(`/portal/chats/${chat.id}/config/update`, premium, { slug: null })).status).toBe(200);
    expect(await suite.db.prisma.chat.findUniqueOrThrow({ where: { id: chat.id } })).toMatchObject({ visibility: "private", slug: null });
    // no body changes nothing
    expect((await post(`/portal/chats/${chat.id}/config/update`, premium)).status).toBe(200);
  });

  it("answers 409 for a slug that is taken, and exactly one of parallel updates wins it", async () => {
    const taken = await seedChat(owner, "official");
    const chat = await seedChat(premium);
    expectError(await post(`/portal/chats/${chat.id}/config/update`, premium, { slug: taken.slug }), 409, `Slug '${taken.slug}' is already taken`);
    const racer = await user({ level: "owner" });
    const chats = await Promise.all(Array.from({ length: 6 }, () => seedChat(racer)));
    const responses = await Promise.all(chats.map((c) => post(`/portal/chats/${c.id}/config/update`, racer, { slug: "rest-raced" })));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
  });

  it("answers 422 naming the body field or the path parameter", async () => {
    const chat = await seedChat(premium);
    expectError(await post(`/portal/chats/${chat.id}/config/update`, premium, { slug: "Bad Slug", name: "x" }), 422, [
      { loc: ["body", "name"], msg: "String should have at least 2 characters", type: "string_too_short" },
      { loc: ["body", "slug"], msg: "String should match pattern '^[a-z0-9-]+$'", type: "string_pattern_mismatch" },
    ]);
    expectError(await post(`/portal/chats/${chat.id}/config/update`, premium, ["slug"]), 422, [
      { loc: ["body"], msg: "Input should be a valid dictionary or object", type: "dict_type" },
    ]);
    expectError(await post("/portal/chats/0/config/update", premium, {}), 422, [
      { loc: ["path", "chat_id"], msg: "Input should be greater than 0", type: "greater_than" },
    ]);
  });

  it("answers 401, 404 and 403 like config", async () => {
    const chat = await seedChat(premium);
    const member = await user();
    await join(chat, member);
    expectError(await post(`/portal/chats/${chat.id}/config/update`, null, { name: "No" }), 401, notAuthenticated);
    expectError(await post("/portal/chats/999999/config/update", premium, { name: "No" }), 404, chatNotFound);
    expectError(await post(`/portal/chats/${chat.id}/config/update`, basic, { name: "No" }), 404, chatNotFound);
    expectError(await post(`/portal/chats/${chat.id}/config/update`, member, { name: "No" }), 403, cannotManage);
    expect((await suite.db.prisma.chat.findUniqueOrThrow({ where: { id: chat.id } })).name).toBe("private chat");
  });
});

describe("invites over REST", () => {
  it("creates, lists and revokes invites", async () => {
    const chat = await seedChat(premium);
    const created = await post(`/portal/chats/${chat.id}/invites`, premium, { expires_at: "2099-01-01T00:00:00Z", max_uses: 3 });
    expect(created.status).toBe(200);
    const invite = created.body as { code: string; created_at: string };
    expect(created.body).toStrictEqual({
      code: expect.stringMatching(/^[A-Za-z0-9]{16}$/),
      chat_id: chat.id,
      created_by_id: premium.id,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      expires_at: "2099-01-01T00:00:00.000Z",
      uses: 0,
      max_uses: 3,
    });
    const open = await post(`/portal/chats/${chat.id}/invites`, premium);
    expect(open.body).toMatchObject({ expires_at: null, max_uses: null });

    const listed = await get(`/portal/chats/${chat.id}/invites`, premium);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ invites: [created.body, open.body] });

    const revoked = await post(`/portal/chats/${chat.id}/invites/${invite.code}/delete`, premium);
    expect(revoked.status).toBe(200);
    expect(revoked.text).toBe(JSON.stringify({ message: `Invite '${invite.code}' revoked` }));
    expect(((await get(`/portal/chats/${chat.id}/invites`, premium)).body as { invites: unknown[] }).invites).toEqual([open.body]);
    expectError(await post(`/portal/chats/${chat.id}/invites/${invite.code}/delete`, premium), 404, "Invite not found");
  });

  it("answers 404 for another chat's code and an unknown one", async () => {
    const chat = await seedChat(premium);
    const other = await seedChat(premium);
    const foreign = (await post(`/portal/chats/${other.id}/invites`, premium)).body as { code: string };
    expectError(await post(`/portal/chats/${chat.id}/invites/${foreign.code}/delete`, premium), 404, "Invite not found");
    expectError(await post(`/portal/chats/${chat.id}/invites/nope/delete`, premium), 404, "Invite not found");
  });

  it("answers 409 at 20 active invites", async () => {
    const chat = await seedChat(premium);
    for (let i = 0; i < 20; i++) expect((await post(`/portal/chats/${chat.id}/invites`, premium)).status).toBe(200);
    expectError(await post(`/portal/chats/${chat.id}/invites`, premium), 409, "Invite limit reached (20 active invites)");
  });

  it("answers 422 for an expiry in the past, a bad datetime and max_uses below 1", async () => {
    const chat = await seedChat(premium);
    expectError(await post(`/portal/chats/${chat.id}/invites`, premium, { expires_at: "2000-01-01T00:00:00Z" }), 422, [
      { loc: ["body", "expires_at"], msg: "Input should be in the future", type: "value_error" },
    ]);
    expectError(await post(`/portal/chats/${chat.id}/invites`, premium, { expires_at: "soon", max_uses: 0 }), 422, [
      { loc: ["body", "expires_at"], msg: "Input should be a valid datetime", type: "datetime_parsing" },
      { loc: ["body", "max_uses"], msg: "Input should be greater than or equal to 1", type: "greater_than_equal" },
    ]);
    expectError(await get("/portal/chats/x1/invites", premium), 422, [
      { loc: ["path", "chat_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" },
    ]);
    expect(await suite.db.prisma.invite.count({ where: { chatId: chat.id } })).toBe(0);
  });

  it("answers 401, 404 and 403 on every invite route", async () => {
    const chat = await seedChat(premium);
    const member = await user();
    await join(chat, member);
    const code = ((await post(`/portal/chats/${chat.id}/invites`, premium)).body as { code: string }).code;
    const routes: [string, (caller: TestUser | null, chatId: number) => Promise<JsonResponse>][] = [
      ["create", (caller, chatId) => post(`/portal/chats/${chatId}/invites`, caller)],
      ["list", (caller, chatId) => get(`/portal/chats/${chatId}/invites`, caller)],
      ["revoke", (caller, chatId) => post(`/portal/chats/${chatId}/invites/${code}/delete`, caller)],
    ];
    for (const [, call] of routes) {
      expectError(await call(null, chat.id), 401, notAuthenticated);
      expectError(await call(premium, 999_999), 404, chatNotFound);
      expectError(await call(basic, chat.id), 404, chatNotFound);
      expectError(await call(member, chat.id), 403, cannotManage);
    }
    expect(await suite.db.prisma.invite.count({ where: { chatId: chat.id } })).toBe(1);
  });
});

describe("POST /v1/portal/resolve/{code}", () => {
  it("joins the caller and answers chat_id and name", async () => {
    const chat = await seedChat(premium, "private", { name: "Book club" });
    const code = ((await post(`/portal/chats/${chat.id}/invites`, premium, { max_uses: 1 })).body as { code: string }).code;
    const joiner = await user();
    const response = await post(`/portal/resolve/${code}`, joiner);
    expect(response.status).toBe(200);
    expect(response.text).toBe(JSON.stringify({ chat_id: chat.id, name: "Book club" }));
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id, userId: joiner.id } })).toBe(1);
    // a member resolving again gets the same answer without using the invite
    expect((await post(`/portal/resolve/${code}`, joiner)).body).toEqual({ chat_id: chat.id, name: "Book club" });
  });

  it("answers 401 without a session, 404 for unknown and revoked codes", async () => {
    const chat = await seedChat(premium);
    const code = ((await post(`/portal/chats/${chat.id}/invites`, premium)).body as { code: string }).code;
    expectError(await post(`/portal/resolve/${code}`), 401, notAuthenticated);
    expectError(await post("/portal/resolve/AAAAAAAAAAAAAAAA", basic), 404, "Invite not found");
    await post(`/portal/chats/${chat.id}/invites/${code}/delete`, premium);
    expectError(await post(`/portal/resolve/${code}`, basic), 404, "Invite not found");
  });

  it("answers 410 for an expired invite and one that is used up", async () => {
    const chat = await seedChat(premium);
    const expired = ((await post(`/portal/chats/${chat.id}/invites`, premium)).body as { code: string }).code;
    await suite.db.prisma.invite.update({ where: { code: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expectError(await post(`/portal/resolve/${expired}`, basic), 410, "Invite has expired");

    const single = ((await post(`/portal/chats/${chat.id}/invites`, premium, { max_uses: 1 })).body as { code: string }).code;
    expect((await post(`/portal/resolve/${single}`, await user())).status).toBe(200);
    expectError(await post(`/portal/resolve/${single}`, basic), 410, "Invite has been used up");
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id, userId: basic.id } })).toBe(0);
  });

  it("admits exactly max_uses of 30 parallel requests; the rest get 410", async () => {
    const chat = await seedChat(premium);
    const code = ((await post(`/portal/chats/${chat.id}/invites`, premium, { max_uses: 10 })).body as { code: string }).code;
    const joiners = await Promise.all(Array.from({ length: 30 }, () => user()));
    const responses = await Promise.all(joiners.map((joiner) => post(`/portal/resolve/${code}`, joiner)));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(10);
    expect(responses.filter((response) => response.status === 410)).toHaveLength(20);
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id } })).toBe(10);
  });

  it("answers 405 to a GET", async () => {
    expectError(await get("/portal/resolve/AAAAAAAAAAAAAAAA", basic), 405, "Method Not Allowed");
  });
});

describe("POST /v1/portal/chats/{chat_id}/kick", () => {
  it("removes the member and answers ok", async () => {
    const chat = await seedChat(premium, "public");
    const member = await user();
    await join(chat, member);
    const response = await post(`/portal/chats/${chat.id}/kick`, premium, { user_id: member.id });
    expect(response.status).toBe(200);
    expect(response.text).toBe('{"ok":true}');
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id, userId: member.id } })).toBe(0);
  });

  it("answers 401, 404, 403, 400 and 422", async () => {
    const chat = await seedChat(premium);
    const [member, other] = [await user(), await user()];
    await join(chat, member);
    await join(chat, other);
    const kick = (caller: TestUser | null, chatId: number | string, body?: unknown) => post(`/portal/chats/${chatId}/kick`, caller, body);
    expectError(await kick(null, chat.id, { user_id: member.id }), 401, notAuthenticated);
    expectError(await kick(premium, 999_999, { user_id: member.id }), 404, chatNotFound);
    expectError(await kick(basic, chat.id, { user_id: member.id }), 404, chatNotFound);
    expectError(await kick(other, chat.id, { user_id: member.id }), 403, "Not allowed to kick this user");
    expectError(await kick(premium, chat.id, { user_id: basic.id }), 404, "User is not a member of this chat");
    expectError(await kick(premium, chat.id, { user_id: premium.id }), 400, "You cannot kick yourself");
    expectError(await kick(premium, chat.id, {}), 422, [{ loc: ["body", "user_id"], msg: "Field required", type: "missing" }]);
    expectError(await kick(premium, "abc", { user_id: "me" }), 422, [
      { loc: ["path", "chat_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" },
      { loc: ["body", "user_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" },
    ]);
    expectError(await kick(premium, chat.id, { user_id: 99_999_999_999 }), 422, [
      { loc: ["body", "user_id"], msg: "Input should be less than or equal to 2147483647", type: "less_than_equal" },
    ]);
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id } })).toBe(2);
  });
});

describe("the same procedures over tRPC's HTTP endpoint", () => {
  it("serves portal.directory without a session", async () => {
    const response = await request(`${suite.app.url}/trpc/portal.directory`);
    expect(response.status).toBe(200);
    expect(Array.isArray((response.body as { result: { data: unknown } }).result.data)).toBe(true);
  });

  it("answers a used-up invite with NOT_FOUND and its message (tRPC has no 410)", async () => {
    const chat = await seedChat(premium);
    const code = ((await post(`/portal/chats/${chat.id}/invites`, premium, { max_uses: 1 })).body as { code: string }).code;
    await post(`/portal/resolve/${code}`, await user());
    const response = await request(`${suite.app.url}/trpc/portal.invites.resolve`, { token: basic.token, body: { code } });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { message: "Invite has been used up", data: { code: "NOT_FOUND" } } });
  });
});
