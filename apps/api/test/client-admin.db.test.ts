// The admin chat routes (§5.2) through the typed client against the running app: list, get,
// update and kick, with their types, conflicts and the per-field validation list.
import { createPortalClient, validationIssues, type RouterOutputs } from "@portal/client";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createTestUser, type TestUser } from "../../../test/support/fixtures.ts";
import { useTestApp } from "../../../test/support/suite.ts";

const suite = useTestApp();
let admin: TestUser;
let chatOwner: TestUser;

beforeAll(async () => {
  admin = await createTestUser(suite.db.prisma, { level: "admin", username: "client_admin" });
  chatOwner = await createTestUser(suite.db.prisma, { level: "user", username: "client_chat_owner" });
});

describe("the admin chat routes through createPortalClient", () => {
  it("lists, reads, updates and kicks", async () => {
    const client = createPortalClient({ url: suite.app.url, sessionToken: admin.token, batch: false });
    const chat = await suite.db.prisma.chat.create({ data: { ownerId: chatOwner.id, name: "Client chat", visibility: "private" } });
    const member = await createTestUser(suite.db.prisma, { username: "client_member" });
    await suite.db.prisma.chatMember.create({ data: { chatId: chat.id, userId: member.id } });

    const list = await client.admin.chats.list.query();
    expectTypeOf(list).toEqualTypeOf<RouterOutputs["admin"]["chats"]["list"]>();
    expect(list).toEqual([expect.objectContaining({ id: chat.id, name: "Client chat", visibility: "private", is_public: false })]);

    const detail = await client.admin.chats.get.query({ chat_id: chat.id });
    expect(detail).toMatchObject({ member_count: 1, members: [{ user: { username: "client_member" }, is_online: true }], browser_config: { browser: "firefox" } });

    const updated = await client.admin.chats.update.mutate({ chat_id: chat.id, slug: "client-chat", label: "Client label", browser_config: { kiosk: true } });
    expectTypeOf(updated).toEqualTypeOf<RouterOutputs["admin"]["chats"]["update"]>();
    expect(updated).toMatchObject({ slug: "client-chat", visibility: "public", label: "Client label" });

    await expect(client.admin.chats.kick.mutate({ chat_id: chat.id, user_id: member.id })).resolves.toEqual({
      message: "Kicked client_member from chat 'Client chat'",
    });
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id } })).toBe(0);
  });

  it("surfaces the invariant as a validation list, and the tRPC codes of refusals", async () => {
    const client = createPortalClient({ url: suite.app.url, sessionToken: admin.token, batch: false });
    const chat = await suite.db.prisma.chat.create({ data: { ownerId: chatOwner.id, name: "Still private", visibility: "private" } });
    const error = await client.admin.chats.update.mutate({ chat_id: chat.id, visibility: "official" }).catch((caught: unknown) => caught);
    expect(validationIssues(error)).toEqual([{ loc: ["body", "visibility"], msg: "An official chat needs a slug", type: "value_error" }]);
    await expect(client.admin.chats.kick.mutate({ chat_id: chat.id, user_id: admin.id })).rejects.toMatchObject({
      message: "You cannot kick yourself",
      data: { code: "BAD_REQUEST", httpStatus: 400 },
    });
    await expect(client.admin.chats.get.query({ chat_id: 999_999 })).rejects.toMatchObject({ message: "Chat not found", data: { code: "NOT_FOUND" } });
    const anonymous = createPortalClient({ url: suite.app.url, batch: false });
    await expect(anonymous.admin.chats.list.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED", httpStatus: 401 } });
  });
});
