// Chat invites (§5.3: create, list, revoke, resolve) through createCaller on a real database: who
// may manage them, validation at the boundaries, the 20-active cap and max_uses under
// concurrency, 404 versus 410 on resolve, and joins read back.
import type { Chat, PrismaClient } from "@portal/db";
import { createCaller, createInnerContext, GoneError, type RouterInputs } from "@portal/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestUser, testConfig, type TestUser, type TestUserOptions } from "../../../test/support/fixtures.ts";
import { createCast, useTestDatabase } from "../../../test/support/suite.ts";
import { issuesOf } from "../../../test/support/validation.ts";
import { resolveInvite } from "../src/services/invites.ts";

type CreateInput = RouterInputs["portal"]["chats"]["invites"]["create"];

const suite = useTestDatabase();
const config = testConfig();
let slugCounter = 0;

let owner: TestUser;
let admin: TestUser;
let moderator: TestUser;
let premium: TestUser;
let basic: TestUser;

beforeAll(async () => {
  ({ owner, admin, moderator, premium, basic } = await createCast(suite.db.prisma));
});

const user = (options: TestUserOptions = {}) => createTestUser(suite.db.prisma, options);

/** The portal procedures as `caller` sees them, with the server's clock at `now` when given. */
function portal(caller: TestUser | null, now?: Date) {
  const services = now ? { now: () => now } : {};
  return createCaller(createInnerContext({ db: suite.db.prisma, config, session: caller?.session ?? null, services })).portal;
}

function seedChat(chatOwner: TestUser, visibility: Chat["visibility"] = "private", name = `${visibility} chat`) {
  return suite.db.prisma.chat.create({ data: { ownerId: chatOwner.id, name, visibility, slug: visibility === "private" ? null : `invite-${++slugCounter}` } });
}

const join = (chat: { id: number }, member: TestUser) => suite.db.prisma.chatMember.create({ data: { chatId: chat.id, userId: member.id } });
const isMember = async (chat: { id: number }, member: TestUser) =>
  (await suite.db.prisma.chatMember.count({ where: { chatId: chat.id, userId: member.id } })) === 1;

const createInvite = (caller: TestUser | null, input: Record<string, unknown>, now?: Date) =>
  portal(caller, now).chats.invites.create(input as CreateInput);
const listInvites = (caller: TestUser | null, chat_id: number, now?: Date) => portal(caller, now).chats.invites.list({ chat_id });
const revoke = (caller: TestUser | null, chat_id: number, code: string) => portal(caller).chats.invites.revoke({ chat_id, code });
const resolve = (caller: TestUser | null, code: string, now?: Date) => portal(caller, now).invites.resolve({ code });

const unauthorized = { code: "UNAUTHORIZED", message: "Not authenticated" };
const chatNotFound = { code: "NOT_FOUND", message: "Chat not found" };
const cannotManage = { code: "FORBIDDEN", message: "Not allowed to manage this chat" };
const inviteNotFound = { code: "NOT_FOUND", message: "Invite not found" };
const HOUR = 60 * 60 * 1000;

describe("portal.chats.invites.create", () => {
  it("answers exactly the invite shape with a fresh 16-character code, and stores it", async () => {
    const chat = await seedChat(premium);
    const now = new Date("2031-05-01T12:00:00.000Z");
    const invite = await createInvite(premium, { chat_id: chat.id, expires_at: "2031-05-02T12:00:00Z", max_uses: 5 }, now);
    expect(invite).toStrictEqual({
      code: expect.stringMatching(/^[A-Za-z0-9]{16}$/),
      chat_id: chat.id,
      created_by_id: premium.id,
      created_at: "2031-05-01T12:00:00.000Z",
      expires_at: "2031-05-02T12:00:00.000Z",
      uses: 0,
      max_uses: 5,
    });
    expect(await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } })).toMatchObject({
      chatId: chat.id,
      createdById: premium.id,
      uses: 0,
      maxUses: 5,
      revokedAt: null,
    });
  });

  it("treats absent and null expires_at and max_uses as no expiry and no limit", async () => {
    const chat = await seedChat(premium);
    expect(await createInvite(premium, { chat_id: chat.id })).toMatchObject({ expires_at: null, max_uses: null, uses: 0 });
    expect(await createInvite(premium, { chat_id: chat.id, expires_at: null, max_uses: null })).toMatchObject({ expires_at: null, max_uses: null });
  });

  it("reads an expires_at with an offset as the instant it names", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id, expires_at: "2040-01-01T02:00:00+02:00" });
    expect(invite.expires_at).toBe("2040-01-01T00:00:00.000Z");
  });

  it("draws a different code every time, from letters and digits only", async () => {
    const chat = await seedChat(owner);
    const codes = [];
    for (let i = 0; i < 15; i++) codes.push((await createInvite(owner, { chat_id: chat.id })).code);
    expect(new Set(codes).size).toBe(15);
    expect(codes.join("")).toMatch(/^[A-Za-z0-9]+$/);
  });

  describe("validation", () => {
    const now = new Date("2031-05-01T12:00:00.000Z");

    it.each([
      [{ expires_at: "2031-05-01T12:00:00.000Z" }, "expires_at", "value_error", "Input should be in the future"],
      [{ expires_at: "2031-05-01T11:59:59Z" }, "expires_at", "value_error", "Input should be in the future"],
      [{ expires_at: "tomorrow" }, "expires_at", "datetime_parsing", "Input should be a valid datetime"],
      [{ expires_at: "2031-06-01T12:00:00" }, "expires_at", "datetime_parsing", "Input should be a valid datetime"],
      [{ expires_at: "2031-06-01" }, "expires_at", "datetime_parsing", "Input should be a valid datetime"],
      [{ expires_at: 1_900_000_000 }, "expires_at", "string_type", "Input should be a valid string"],
      [{ max_uses: 0 }, "max_uses", "greater_than_equal", "Input should be greater than or equal to 1"],
      [{ max_uses: -3 }, "max_uses", "greater_than_equal", "Input should be greater than or equal to 1"],
      [{ max_uses: 2.5 }, "max_uses", "int_type", "Input should be a valid integer"],
      [{ max_uses: "3" }, "max_uses", "int_parsing", "Input should be a valid integer, unable to parse string as an integer"],
      [{ max_uses: 2_147_483_648 }, "max_uses", "less_than_equal", "Input should be less than or equal to 2147483647"],
    ])("refuses %j", async (input, field, type, msg) => {
      const chat = await seedChat(premium);
      expect(await issuesOf(createInvite(premium, { chat_id: chat.id, ...input }, now))).toEqual([{ loc: ["body", field], msg, type }]);
      expect(await suite.db.prisma.invite.count({ where: { chatId: chat.id } })).toBe(0);
    });

    it("accepts the boundaries: one millisecond ahead, one use, the largest max_uses", async () => {
      const chat = await seedChat(premium);
      await expect(createInvite(premium, { chat_id: chat.id, expires_at: "2031-05-01T12:00:00.001Z" }, now)).resolves.toMatchObject({
        expires_at: "2031-05-01T12:00:00.001Z",
      });
      await expect(createInvite(premium, { chat_id: chat.id, max_uses: 1 }, now)).resolves.toMatchObject({ max_uses: 1 });
      await expect(createInvite(premium, { chat_id: chat.id, max_uses: 2_147_483_647 }, now)).resolves.toMatchObject({ max_uses: 2_147_483_647 });
    });
  });

  describe("who may create invites", () => {
    it("refuses no session, an unknown chat, and hides a private chat from those who cannot see it", async () => {
      const chat = await seedChat(premium);
      await expect(createInvite(null, { chat_id: chat.id })).rejects.toMatchObject(unauthorized);
      await expect(createInvite(premium, { chat_id: 999_999 })).rejects.toMatchObject(chatNotFound);
      for (const caller of [basic, admin, owner]) await expect(createInvite(caller, { chat_id: chat.id })).rejects.toMatchObject(chatNotFound);
    });

    it("keeps a private chat's invites its owner's: members, Admins and Owners among them get 403", async () => {
      const chat = await seedChat(premium);
      const member = await user();
      for (const caller of [member, admin, owner]) await join(chat, caller);
      for (const caller of [member, admin, owner]) await expect(createInvite(caller, { chat_id: chat.id })).rejects.toMatchObject(cannotManage);
      expect(await suite.db.prisma.invite.count({ where: { chatId: chat.id } })).toBe(0);
    });

    it("follows the hierarchy against the owner on public and official chats", async () => {
      const userChat = await seedChat(premium, "public");
      const adminChat = await seedChat(admin, "public");
      const ownerChat = await seedChat(owner, "official");
      const otherOwner = await user({ level: "owner" });
      for (const [caller, chat] of [
        [premium, userChat],
        [moderator, userChat],
        [owner, adminChat],
        [otherOwner, ownerChat],
      ] as const) {
        await expect(createInvite(caller, { chat_id: chat.id })).resolves.toMatchObject({ chat_id: chat.id, created_by_id: caller.id });
      }
      for (const [caller, chat] of [
        [basic, userChat],
        [moderator, adminChat],
        [admin, ownerChat],
      ] as const) {
        await expect(createInvite(caller, { chat_id: chat.id })).rejects.toMatchObject(cannotManage);
      }
    });
  });

  describe("the cap of 20 active invites", () => {
    it("refuses the 21st active invite with 409", async () => {
      const chat = await seedChat(premium);
      for (let i = 0; i < 20; i++) await createInvite(premium, { chat_id: chat.id });
      await expect(createInvite(premium, { chat_id: chat.id })).rejects.toMatchObject({ code: "CONFLICT", message: "Invite limit reached (20 active invites)" });
      expect(await suite.db.prisma.invite.count({ where: { chatId: chat.id } })).toBe(20);
    });

    it("counts only active invites: revoked, expired and used-up ones free their place", async () => {
      const chat = await seedChat(premium);
      const now = new Date();
      const created = [];
      for (let i = 0; i < 20; i++) created.push(await createInvite(premium, { chat_id: chat.id, max_uses: 1, expires_at: new Date(now.getTime() + HOUR).toISOString() }, now));
      await expect(createInvite(premium, { chat_id: chat.id }, now)).rejects.toMatchObject({ code: "CONFLICT" });

      await revoke(premium, chat.id, created[0]!.code);
      await expect(createInvite(premium, { chat_id: chat.id }, now)).resolves.toBeDefined();
      await expect(createInvite(premium, { chat_id: chat.id }, now)).rejects.toMatchObject({ code: "CONFLICT" });

      await resolve(await user(), created[1]!.code, now);
      await expect(createInvite(premium, { chat_id: chat.id }, now)).resolves.toBeDefined();
      await expect(createInvite(premium, { chat_id: chat.id }, now)).rejects.toMatchObject({ code: "CONFLICT" });

      // two hours later the 18 timed invites have expired; the two without expiry remain
      const later = new Date(now.getTime() + 2 * HOUR);
      for (let i = 0; i < 18; i++) await createInvite(premium, { chat_id: chat.id }, later);
      await expect(createInvite(premium, { chat_id: chat.id }, later)).rejects.toMatchObject({ code: "CONFLICT" });
    });

    it("holds under concurrency: parallel creates with one place left make exactly one invite", async () => {
      const chat = await seedChat(premium);
      for (let i = 0; i < 19; i++) await createInvite(premium, { chat_id: chat.id });
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => createInvite(premium, { chat_id: chat.id })));
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      for (const result of results) {
        if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "CONFLICT", message: "Invite limit reached (20 active invites)" });
      }
      expect(await suite.db.prisma.invite.count({ where: { chatId: chat.id } })).toBe(20);
    });

    it("counts per chat", async () => {
      const full = await seedChat(owner);
      const other = await seedChat(owner);
      for (let i = 0; i < 20; i++) await createInvite(owner, { chat_id: full.id });
      await expect(createInvite(owner, { chat_id: other.id })).resolves.toMatchObject({ chat_id: other.id });
    });
  });
});

describe("portal.chats.invites.list", () => {
  it("lists the active invites only, oldest first", async () => {
    const chat = await seedChat(premium);
    const now = new Date();
    const kept = await createInvite(premium, { chat_id: chat.id }, now);
    const revoked = await createInvite(premium, { chat_id: chat.id }, now);
    const expiring = await createInvite(premium, { chat_id: chat.id, expires_at: new Date(now.getTime() + HOUR).toISOString() }, now);
    const usedUp = await createInvite(premium, { chat_id: chat.id, max_uses: 1 }, now);
    const partly = await createInvite(premium, { chat_id: chat.id, max_uses: 2 }, now);
    await revoke(premium, chat.id, revoked.code);
    await resolve(await user(), usedUp.code, now);
    await resolve(await user(), partly.code, now);
    const otherChat = await seedChat(premium);
    await createInvite(premium, { chat_id: otherChat.id }, now);

    expect(await listInvites(premium, chat.id, now)).toStrictEqual({ invites: [kept, expiring, { ...partly, uses: 1 }] });
    expect(await listInvites(premium, chat.id, new Date(now.getTime() + 2 * HOUR))).toStrictEqual({ invites: [kept, { ...partly, uses: 1 }] });
  });

  it("answers an empty list for a chat without invites", async () => {
    const chat = await seedChat(premium);
    expect(await listInvites(premium, chat.id)).toStrictEqual({ invites: [] });
  });

  it("applies can_manage_chat like create", async () => {
    const chat = await seedChat(premium);
    const member = await user();
    await join(chat, member);
    const adminChat = await seedChat(admin, "public");
    await expect(listInvites(null, chat.id)).rejects.toMatchObject(unauthorized);
    await expect(listInvites(premium, 999_999)).rejects.toMatchObject(chatNotFound);
    await expect(listInvites(basic, chat.id)).rejects.toMatchObject(chatNotFound);
    await expect(listInvites(member, chat.id)).rejects.toMatchObject(cannotManage);
    await expect(listInvites(moderator, adminChat.id)).rejects.toMatchObject(cannotManage);
    await expect(listInvites(owner, adminChat.id)).resolves.toStrictEqual({ invites: [] });
  });
});

describe("portal.chats.invites.revoke", () => {
  it("revokes an invite: it leaves the list and no longer admits anyone", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id });
    await expect(revoke(premium, chat.id, invite.code)).resolves.toStrictEqual({ message: `Invite '${invite.code}' revoked` });
    expect((await listInvites(premium, chat.id)).invites).toEqual([]);
    expect((await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } })).revokedAt).toBeInstanceOf(Date);
    const joiner = await user();
    await expect(resolve(joiner, invite.code)).rejects.toMatchObject(inviteNotFound);
    expect(await isMember(chat, joiner)).toBe(false);
  });

  it("answers 404 for an unknown code, another chat's code and an invite already revoked", async () => {
    const chat = await seedChat(premium);
    const otherChat = await seedChat(premium);
    const other = await createInvite(premium, { chat_id: otherChat.id });
    const invite = await createInvite(premium, { chat_id: chat.id });
    await revoke(premium, chat.id, invite.code);
    await expect(revoke(premium, chat.id, "AAAAAAAAAAAAAAAA")).rejects.toMatchObject(inviteNotFound);
    await expect(revoke(premium, chat.id, other.code)).rejects.toMatchObject(inviteNotFound);
    await expect(revoke(premium, chat.id, invite.code)).rejects.toMatchObject(inviteNotFound);
    await expect(revoke(premium, chat.id, "")).rejects.toMatchObject(inviteNotFound);
    expect((await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: other.code } })).revokedAt).toBeNull();
  });

  it("is case-sensitive: a code differing in case is another code", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id });
    const flipped = [...invite.code].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
    if (flipped !== invite.code) await expect(revoke(premium, chat.id, flipped)).rejects.toMatchObject(inviteNotFound);
  });

  it("applies can_manage_chat like create, and revokes nothing when refused", async () => {
    const chat = await seedChat(premium);
    const member = await user();
    await join(chat, member);
    const invite = await createInvite(premium, { chat_id: chat.id });
    await expect(revoke(null, chat.id, invite.code)).rejects.toMatchObject(unauthorized);
    await expect(revoke(premium, 999_999, invite.code)).rejects.toMatchObject(chatNotFound);
    await expect(revoke(basic, chat.id, invite.code)).rejects.toMatchObject(chatNotFound);
    await expect(revoke(member, chat.id, invite.code)).rejects.toMatchObject(cannotManage);
    expect((await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } })).revokedAt).toBeNull();
  });
});

describe("portal.invites.resolve", () => {
  it("joins the caller as a member and answers the chat's id and name", async () => {
    const chat = await seedChat(premium, "private", "Book club");
    const invite = await createInvite(premium, { chat_id: chat.id, max_uses: 3 });
    const joiner = await user();
    await expect(resolve(joiner, invite.code)).resolves.toStrictEqual({ chat_id: chat.id, name: "Book club" });
    expect(await isMember(chat, joiner)).toBe(true);
    expect((await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } })).uses).toBe(1);
    // the private chat is now the joiner's to see, not to manage
    expect((await portal(joiner).chats.list()).map((listed) => listed.id)).toContain(chat.id);
    await expect(portal(joiner).chats.config.get({ chat_id: chat.id })).rejects.toMatchObject(cannotManage);
  });

  it("answers a member or the owner without using the invite", async () => {
    const chat = await seedChat(premium, "private", "Already");
    const invite = await createInvite(premium, { chat_id: chat.id, max_uses: 1 });
    const member = await user();
    await join(chat, member);
    await expect(resolve(member, invite.code)).resolves.toStrictEqual({ chat_id: chat.id, name: "Already" });
    await expect(resolve(premium, invite.code)).resolves.toStrictEqual({ chat_id: chat.id, name: "Already" });
    const stored = await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } });
    expect(stored.uses).toBe(0);
    expect(await isMember(chat, premium)).toBe(false);
    // the one use is still there for a newcomer
    await expect(resolve(await user(), invite.code)).resolves.toMatchObject({ chat_id: chat.id });
  });

  it("refuses no session", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id });
    await expect(resolve(null, invite.code)).rejects.toMatchObject(unauthorized);
  });

  it("answers 404 for an unknown or revoked code", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id });
    await revoke(premium, chat.id, invite.code);
    for (const code of ["AAAAAAAAAAAAAAAA", invite.code, ""]) {
      const error = await resolve(basic, code).catch((caught: unknown) => caught);
      expect(error).toMatchObject(inviteNotFound);
      expect(error).not.toBeInstanceOf(GoneError);
    }
    expect(await isMember(chat, basic)).toBe(false);
  });

  it("answers 410 (GoneError) once the invite has expired, by the server's clock", async () => {
    const chat = await seedChat(premium);
    const now = new Date("2032-03-01T10:00:00Z");
    const invite = await createInvite(premium, { chat_id: chat.id, expires_at: "2032-03-01T11:00:00Z" }, now);
    const joiner = await user();
    const error = await resolve(joiner, invite.code, new Date("2032-03-01T11:00:00Z")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GoneError);
    expect(error).toMatchObject({ code: "NOT_FOUND", message: "Invite has expired" });
    expect(await isMember(chat, joiner)).toBe(false);
    await expect(resolve(joiner, invite.code, new Date("2032-03-01T10:59:59Z"))).resolves.toMatchObject({ chat_id: chat.id });
  });

  it("answers 410 once max_uses joins were admitted", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id, max_uses: 2 });
    const [first, second, third] = [await user(), await user(), await user()];
    await resolve(first, invite.code);
    await resolve(second, invite.code);
    const error = await resolve(third, invite.code).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GoneError);
    expect(error).toMatchObject({ code: "NOT_FOUND", message: "Invite has been used up" });
    expect(await isMember(chat, third)).toBe(false);
    expect((await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } })).uses).toBe(2);
  });

  it("still answers members and the owner once the invite expired or was used up: they join no one", async () => {
    const chat = await seedChat(premium, "private", "Old link");
    const now = new Date("2033-01-01T00:00:00Z");
    const invite = await createInvite(premium, { chat_id: chat.id, max_uses: 1, expires_at: "2033-01-01T01:00:00Z" }, now);
    const joiner = await user();
    await resolve(joiner, invite.code, now);
    await expect(resolve(await user(), invite.code, now)).rejects.toBeInstanceOf(GoneError);
    await expect(resolve(joiner, invite.code, now)).resolves.toStrictEqual({ chat_id: chat.id, name: "Old link" });
    const later = new Date("2033-01-02T00:00:00Z");
    await expect(resolve(joiner, invite.code, later)).resolves.toStrictEqual({ chat_id: chat.id, name: "Old link" });
    await expect(resolve(premium, invite.code, later)).resolves.toStrictEqual({ chat_id: chat.id, name: "Old link" });
    await revoke(premium, chat.id, invite.code);
    await expect(resolve(joiner, invite.code, now)).rejects.toMatchObject(inviteNotFound);
    expect((await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } })).uses).toBe(1);
  });

  it("lets a kicked member come back through a valid invite", async () => {
    const chat = await seedChat(premium, "public");
    const invite = await createInvite(premium, { chat_id: chat.id });
    const member = await user();
    await resolve(member, invite.code);
    await portal(premium).chats.kick({ chat_id: chat.id, user_id: member.id });
    expect(await isMember(chat, member)).toBe(false);
    await resolve(member, invite.code);
    expect(await isMember(chat, member)).toBe(true);
    expect((await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } })).uses).toBe(2);
  });

  it("admits exactly max_uses joins from 30 parallel resolves of an invite with max_uses 10", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id, max_uses: 10 });
    const joiners = await Promise.all(Array.from({ length: 30 }, () => user()));
    const results = await Promise.allSettled(joiners.map((joiner) => resolve(joiner, invite.code)));
    const joined = results.filter((result) => result.status === "fulfilled");
    expect(joined).toHaveLength(10);
    for (const result of results) {
      if (result.status === "rejected") {
        expect(result.reason).toBeInstanceOf(GoneError);
        expect(result.reason).toMatchObject({ message: "Invite has been used up" });
      }
    }
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id } })).toBe(10);
    expect((await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } })).uses).toBe(10);
  });

  it("uses one use for one caller resolving the same invite in parallel", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id, max_uses: 5 });
    const joiner = await user();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => resolve(joiner, invite.code)));
    expect(results.every((result) => result.status === "fulfilled")).toBe(true);
    expect(await suite.db.prisma.chatMember.count({ where: { chatId: chat.id } })).toBe(1);
    expect((await suite.db.prisma.invite.findUniqueOrThrow({ where: { code: invite.code } })).uses).toBe(1);
  });

  it("answers 404, not a failure, when the chat is deleted between reading the invite and joining", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id });
    const racing = suite.db.prisma.$extends({
      query: {
        invite: {
          async findUnique({ args, query }) {
            const found = await query(args);
            await suite.db.prisma.chat.deleteMany({ where: { id: chat.id } });
            return found;
          },
        },
      },
    }) as unknown as PrismaClient;
    await expect(resolveInvite(racing, invite.code, basic.id, new Date())).rejects.toMatchObject(inviteNotFound);
    expect(await suite.db.prisma.chatMember.count({ where: { userId: basic.id, chatId: chat.id } })).toBe(0);
  });

  it("is backed by the database: uses can never be written beyond max_uses", async () => {
    const chat = await seedChat(premium);
    const invite = await createInvite(premium, { chat_id: chat.id, max_uses: 1 });
    await expect(suite.db.prisma.invite.update({ where: { code: invite.code }, data: { uses: 2 } })).rejects.toThrow();
  });
});
