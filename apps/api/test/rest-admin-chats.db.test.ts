// GET /v1/admin/chats, GET /v1/admin/chats/{chat_id}, POST …/update and POST …/kick (§5.2) over
// real HTTP through the real app: every status and body, nothing written on errors.
import { beforeAll, describe, expect, it } from "vitest";
import { createTestUser, type TestUser } from "../../../test/support/fixtures.ts";
import { request } from "../../../test/support/http.ts";
import { useTestApp } from "../../../test/support/suite.ts";

type Visibility = "official" | "public" | "private";

const suite = useTestApp();
let owner: TestUser;
let admin: TestUser;
let moderator: TestUser;
let user: TestUser;
let counter = 0;

beforeAll(async () => {
  owner = await createTestUser(suite.db.prisma, { level: "owner", username: "owner_user" });
  admin = await createTestUser(suite.db.prisma, { level: "admin", username: "admin_user" });
  moderator = await createTestUser(suite.db.prisma, { level: "moderator" });
  user = await createTestUser(suite.db.prisma, { level: "user", username: "plain_user" });
});

const url = (path: string) => `${suite.app.url}/v1/admin/chats${path}`;

async function makeChat(chatOwner: TestUser, visibility: Visibility = "public", name = `Chat ${++counter}`) {
  const slug = visibility === "private" ? null : `rest-${++counter}`;
  return suite.db.prisma.chat.create({ data: { ownerId: chatOwner.id, name, visibility, slug } });
}

const stored = (chatId: number) => suite.db.prisma.chat.findUniqueOrThrow({ where: { id: chatId } });

/** The GroupChatPublicResponse of a stored chat, as JSON carries it. */
async function publicShape(chatId: number) {
  const row = await stored(chatId);
  return {
    id: row.id,
    name: row.name,
    owner_id: row.ownerId,
    is_public: row.visibility !== "private",
    visibility: row.visibility,
    label: row.label,
    slug: row.slug,
    description: row.description,
    avatar_source: row.avatarSource,
    last_activity_at: row.lastActivityAt.toISOString(),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const notAuthenticated = { detail: "Not authenticated" };
const adminRequired = { detail: "Admin permission required" };
const chatNotFound = { detail: "Chat not found" };
const cannotManage = { detail: "Not allowed to manage this chat" };
const pathNotInteger = { detail: [{ loc: ["path", "chat_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" }] };

describe("GET /v1/admin/chats", () => {
  it("answers every chat of every visibility as GroupChatPublicResponse, by id", async () => {
    const chats = [await makeChat(user, "private"), await makeChat(owner, "official"), await makeChat(moderator, "public")];
    const response = await request(url(""), { token: admin.token });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const all = await suite.db.prisma.chat.findMany({ orderBy: { id: "asc" } });
    expect(response.body).toEqual(await Promise.all(all.map((chat) => publicShape(chat.id))));
    expect((response.body as { id: number }[]).map((chat) => chat.id)).toEqual(expect.arrayContaining(chats.map((chat) => chat.id)));
  });

  it("answers 401 without a session and 403 below Admin", async () => {
    expect(await request(url(""))).toMatchObject({ status: 401, body: notAuthenticated });
    expect(await request(url(""), { token: moderator.token })).toMatchObject({ status: 403, body: adminRequired });
    expect(await request(url(""), { token: user.token })).toMatchObject({ status: 403, body: adminRequired });
  });

  it.each(["PUT", "PATCH", "DELETE"])("answers %s with 405", async (method) => {
    expect(await request(url(""), { method, token: owner.token })).toMatchObject({ status: 405, body: { detail: "Method Not Allowed" } });
  });
});

describe("GET /v1/admin/chats/{chat_id}", () => {
  it("answers the chat with browser_config, member_count and members", async () => {
    const chat = await makeChat(user, "official");
    await suite.db.prisma.chat.update({ where: { id: chat.id }, data: { browser: "brave", startUrl: "https://start.example/", kiosk: true, label: "Top" } });
    const member = await createTestUser(suite.db.prisma, { level: "moderator", username: "member_one" });
    await suite.db.prisma.chatMember.create({ data: { chatId: chat.id, userId: member.id, joinedAt: new Date("2026-05-01T10:00:00.000Z") } });
    const response = await request(url(`/${chat.id}`), { token: admin.token });
    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual({
      ...(await publicShape(chat.id)),
      browser_config: { browser: "brave", start_url: "https://start.example/", kiosk: true },
      member_count: 1,
      members: [
        {
          user: { id: member.id, username: "member_one", avatar_url: null, permission_level: 1 },
          is_online: true,
          joined_at: "2026-05-01T10:00:00.000Z",
        },
      ],
    });
  });

  it("answers 404 Chat not found, 403 on an Owner's chat, 401 and 403 by level", async () => {
    const ownersChat = await makeChat(owner);
    expect(await request(url("/999999"), { token: admin.token })).toMatchObject({ status: 404, body: chatNotFound });
    expect(await request(url(`/${ownersChat.id}`), { token: admin.token })).toMatchObject({ status: 403, body: cannotManage });
    expect(await request(url(`/${ownersChat.id}`), { token: owner.token })).toMatchObject({ status: 200 });
    expect(await request(url(`/${ownersChat.id}`))).toMatchObject({ status: 401, body: notAuthenticated });
    expect(await request(url(`/${ownersChat.id}`), { token: moderator.token })).toMatchObject({ status: 403, body: adminRequired });
  });

  it.each(["abc", "1.5", "1e3"])("answers 422 at path.chat_id for /v1/admin/chats/%s", async (id) => {
    const response = await request(url(`/${id}`), { token: admin.token });
    expect(response).toMatchObject({ status: 422, body: pathNotInteger });
  });

  it.each(["0", "-4"])("answers 422 greater_than at path.chat_id for /v1/admin/chats/%s", async (id) => {
    const response = await request(url(`/${id}`), { token: admin.token });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ detail: [{ loc: ["path", "chat_id"], msg: "Input should be greater than 0", type: "greater_than" }] });
  });

  it.each(["POST", "PUT", "DELETE"])("answers %s with 405", async (method) => {
    const chat = await makeChat(user);
    expect(await request(url(`/${chat.id}`), { method, token: owner.token })).toMatchObject({ status: 405, body: { detail: "Method Not Allowed" } });
  });
});

describe("POST /v1/admin/chats/{chat_id}/update", () => {
  const update = (chatId: number | string, body: unknown, token = admin.token) => request(url(`/${chatId}/update`), { token, body });

  it("answers the updated GroupChatPublicResponse and stores it", async () => {
    const chat = await makeChat(user, "private");
    const response = await update(chat.id, { name: " Renamed ", slug: "renamed-chat", label: "Hot", description: "Now public", browser_config: { kiosk: true } });
    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual(await publicShape(chat.id));
    expect(response.body).toMatchObject({ name: "Renamed", slug: "renamed-chat", visibility: "public", is_public: true, label: "Hot", description: "Now public" });
    expect((await stored(chat.id)).kiosk).toBe(true);
  });

  it("clears the label and the slug with null (the chat becomes private)", async () => {
    const chat = await makeChat(user, "official");
    await suite.db.prisma.chat.update({ where: { id: chat.id }, data: { label: "Old" } });
    const response = await update(chat.id, { label: null, slug: null });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ label: null, slug: null, visibility: "private", is_public: false });
  });

  it("treats a request without a body as an empty update", async () => {
    const chat = await makeChat(user);
    const response = await request(url(`/${chat.id}/update`), { method: "POST", token: admin.token });
    expect(response).toMatchObject({ status: 200, body: { id: chat.id, slug: chat.slug, visibility: "public" } });
  });

  it("takes chat_id from the path, never from the body", async () => {
    const [target, other] = [await makeChat(user), await makeChat(user)];
    const response = await update(target.id, { chat_id: other.id, name: "Path wins" });
    expect(response.body).toMatchObject({ id: target.id, name: "Path wins" });
    expect((await stored(other.id)).name).toBe(other.name);
  });

  it("answers 422 in the list form for the slug/visibility invariant and writes nothing", async () => {
    const privateChat = await makeChat(user, "private");
    const before = await stored(privateChat.id);
    const toPublic = await update(privateChat.id, { visibility: "public", name: "Not stored" });
    expect(toPublic.status).toBe(422);
    expect(toPublic.body).toEqual({ detail: [{ loc: ["body", "visibility"], msg: "A public chat needs a slug", type: "value_error" }] });
    const toOfficial = await update(privateChat.id, { visibility: "official" });
    expect(toOfficial.body).toEqual({ detail: [{ loc: ["body", "visibility"], msg: "An official chat needs a slug", type: "value_error" }] });
    const privateWithSlug = await update(privateChat.id, { visibility: "private", slug: "nope-slug" });
    expect(privateWithSlug.status).toBe(422);
    expect(privateWithSlug.body).toEqual({ detail: [{ loc: ["body", "slug"], msg: "A private chat cannot have a slug", type: "value_error" }] });
    expect(await stored(privateChat.id)).toEqual(before);
  });

  it("answers 422 with one entry per invalid field", async () => {
    const chat = await makeChat(user);
    const response = await update(chat.id, { name: "x", label: "l".repeat(33), visibility: "hidden", browser_config: { browser: "netscape", start_url: "ftp://x" } });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      detail: [
        { loc: ["body", "name"], msg: "String should have at least 2 characters", type: "string_too_short" },
        { loc: ["body", "visibility"], msg: "Input should be 'official', 'public' or 'private'", type: "enum" },
        { loc: ["body", "label"], msg: "String should have at most 32 characters", type: "string_too_long" },
        { loc: ["body", "browser_config", "browser"], msg: expect.stringMatching(/^Input should be 'firefox', /), type: "enum" },
        { loc: ["body", "browser_config", "start_url"], msg: "Input should be an absolute http or https URL", type: "url_parsing" },
      ],
    });
  });

  it.each([
    ["an array", "[]"],
    ["a string", '"name"'],
  ])("answers 422 dict_type for a body that is %s", async (_case, body) => {
    const chat = await makeChat(user);
    expect(await update(chat.id, body)).toMatchObject({ status: 422, body: { detail: [expect.objectContaining({ loc: ["body"], type: "dict_type" })] } });
  });

  it("answers 422 json_invalid for malformed JSON", async () => {
    const chat = await makeChat(user);
    expect(await update(chat.id, '{"name": ')).toMatchObject({ status: 422, body: { detail: [{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }] } });
  });

  it("answers 409 for a slug another chat has", async () => {
    const holder = await makeChat(owner, "official");
    const chat = await makeChat(user, "private");
    const response = await update(chat.id, { slug: holder.slug });
    expect(response).toMatchObject({ status: 409, body: { detail: `Slug '${holder.slug}' is already taken` } });
    expect(await stored(chat.id)).toMatchObject({ slug: null, visibility: "private" });
  });

  it("gives one of 10 parallel updates racing for one slug a 200 and the rest 409, never 500", async () => {
    const chats = await Promise.all(Array.from({ length: 10 }, () => makeChat(user, "private")));
    const responses = await Promise.all(chats.map((chat) => update(chat.id, { slug: "rest-race" })));
    expect(responses.map((response) => response.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    for (const response of responses.filter((r) => r.status === 409)) expect(response.body).toEqual({ detail: "Slug 'rest-race' is already taken" });
    expect(await suite.db.prisma.chat.count({ where: { slug: "rest-race" } })).toBe(1);
  });

  it("answers 404, 403 on an Owner's chat, 401 and 403 by level", async () => {
    const ownersChat = await makeChat(owner);
    expect(await update(999_999, { name: "Nobody" })).toMatchObject({ status: 404, body: chatNotFound });
    expect(await update(ownersChat.id, { name: "Not mine" })).toMatchObject({ status: 403, body: cannotManage });
    expect(await update(ownersChat.id, { name: "Anon" }, "")).toMatchObject({ status: 401, body: notAuthenticated });
    expect(await update(ownersChat.id, { name: "Mod" }, moderator.token)).toMatchObject({ status: 403, body: adminRequired });
    expect((await stored(ownersChat.id)).name).toBe(ownersChat.name);
  });

  it("answers 422 at path.chat_id for /v1/admin/chats/abc/update and 405 for GET", async () => {
    expect(await update("abc", { name: "Whatever" })).toMatchObject({ status: 422, body: pathNotInteger });
    const chat = await makeChat(user);
    expect(await request(url(`/${chat.id}/update`), { token: admin.token })).toMatchObject({ status: 405, body: { detail: "Method Not Allowed" } });
  });
});

describe("POST /v1/admin/chats/{chat_id}/kick", () => {
  const kick = (chatId: number | string, body: unknown, token = admin.token) => request(url(`/${chatId}/kick`), { token, body });

  it("removes the member and answers the message, with the chat's VM stopped", async () => {
    const chat = await makeChat(user, "private", "Quiet room");
    const member = await createTestUser(suite.db.prisma, { username: "noisy_member" });
    await suite.db.prisma.chatMember.create({ data: { chatId: chat.id, userId: member.id } });
    const response = await kick(chat.id, { user_id: member.id });
    expect(response.status).toBe(200);
    expect(response.text).toBe(JSON.stringify({ message: "Kicked noisy_member from chat 'Quiet room'" }));
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id, userId: member.id } })).toBe(0);
    expect((await stored(chat.id)).running).toBe(false);
  });

  it("answers 400 for kicking yourself", async () => {
    const chat = await makeChat(user);
    await suite.db.prisma.chatMember.create({ data: { chatId: chat.id, userId: admin.id } });
    expect(await kick(chat.id, { user_id: admin.id })).toMatchObject({ status: 400, body: { detail: "You cannot kick yourself" } });
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id, userId: admin.id } })).toBe(1);
  });

  it("answers 404 for an unknown user, a non-member and an unknown chat", async () => {
    const chat = await makeChat(user);
    const notMember = { detail: "User is not a member of this chat" };
    expect(await kick(chat.id, { user_id: 9_999_999 })).toMatchObject({ status: 404, body: notMember });
    expect(await kick(chat.id, { user_id: moderator.id })).toMatchObject({ status: 404, body: notMember });
    expect(await kick(999_999, { user_id: moderator.id })).toMatchObject({ status: 404, body: chatNotFound });
  });

  it("answers 403 when the hierarchy fails against the owner or the target", async () => {
    const ownersChat = await makeChat(owner);
    await suite.db.prisma.chatMember.create({ data: { chatId: ownersChat.id, userId: user.id } });
    expect(await kick(ownersChat.id, { user_id: user.id })).toMatchObject({ status: 403, body: cannotManage });
    const usersChat = await makeChat(user);
    const otherAdmin = await createTestUser(suite.db.prisma, { level: "admin" });
    await suite.db.prisma.chatMember.create({ data: { chatId: usersChat.id, userId: otherAdmin.id } });
    expect(await kick(usersChat.id, { user_id: otherAdmin.id })).toMatchObject({ status: 403, body: { detail: "Not allowed to kick this user" } });
    expect(await suite.db.prisma.chatMember.count({ where: { userId: { in: [user.id, otherAdmin.id] }, chatId: { in: [ownersChat.id, usersChat.id] } } })).toBe(2);
  });

  it("answers 401 and 403 by level", async () => {
    const chat = await makeChat(user);
    expect(await kick(chat.id, { user_id: moderator.id }, "")).toMatchObject({ status: 401, body: notAuthenticated });
    expect(await kick(chat.id, { user_id: moderator.id }, user.token)).toMatchObject({ status: 403, body: adminRequired });
  });

  it("answers 422 for a missing or invalid user_id and a non-integer path", async () => {
    const chat = await makeChat(user);
    expect(await kick(chat.id, {})).toMatchObject({ status: 422, body: { detail: [{ loc: ["body", "user_id"], msg: "Field required", type: "missing" }] } });
    expect(await request(url(`/${chat.id}/kick`), { method: "POST", token: admin.token })).toMatchObject({
      status: 422,
      body: { detail: [{ loc: ["body", "user_id"], msg: "Field required", type: "missing" }] },
    });
    expect(await kick(chat.id, { user_id: "abc" })).toMatchObject({
      status: 422,
      body: { detail: [{ loc: ["body", "user_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" }] },
    });
    expect(await kick("abc", { user_id: 1 })).toMatchObject({ status: 422, body: pathNotInteger });
  });

  it("answers GET with 405", async () => {
    const chat = await makeChat(user);
    expect(await request(url(`/${chat.id}/kick`), { token: admin.token })).toMatchObject({ status: 405, body: { detail: "Method Not Allowed" } });
  });
});
