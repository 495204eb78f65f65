// Chat persistence with the rules of §2 and §3 applied: slot limits held under concurrency, slug
// uniqueness decided by the database, the visibility invariant checked before every write.
import type { Prisma, PrismaClient } from "@portal/db";
import { canKickFromChat, type Actor } from "../domain/chat-access.ts";
import type { BrowserConfig, ChatVisibility } from "../domain/chat-rules.ts";
import { applyVisibilityChange, mergeBrowserConfig, slugTakenMessage, visibilitySlugProblem } from "../domain/chat-rules.ts";
import { slotLimitViolation } from "../domain/slots.ts";
import { badRequest, conflict, forbidden, invalidField, isUniqueViolation, notFound } from "../errors.ts";

export interface NewChat {
  ownerId: number;
  name: string;
  slug: string | null;
  description: string | null;
  visibility: ChatVisibility;
  allowControlRequests: boolean;
  browserConfig: BrowserConfig;
}

export const chatWithOwner = { owner: { select: { id: true, username: true, avatarUrl: true, permissionLevel: true } } } satisfies Prisma.ChatInclude;
export type ChatWithOwner = Prisma.ChatGetPayload<{ include: typeof chatWithOwner }>;

/**
 * Creates a chat. With a finite `slotLimit`, the owner's row is locked while chats are counted,
 * so parallel creates cannot both take the last slot.
 */
export async function createChat(db: PrismaClient, chat: NewChat, slotLimit: number): Promise<ChatWithOwner> {
  const problem = visibilitySlugProblem(chat.visibility, chat.slug);
  if (problem) throw new Error(`Chat invariant violated: ${problem}`);
  const data = {
    ownerId: chat.ownerId,
    name: chat.name,
    slug: chat.slug,
    description: chat.description,
    visibility: chat.visibility,
    allowControlRequests: chat.allowControlRequests,
    browser: chat.browserConfig.browser,
    startUrl: chat.browserConfig.start_url,
    kiosk: chat.browserConfig.kiosk,
  } satisfies Prisma.ChatUncheckedCreateInput;

  try {
    if (!Number.isFinite(slotLimit)) return await db.chat.create({ data, include: chatWithOwner });
    return await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM users WHERE id = ${chat.ownerId} FOR UPDATE`;
      const owned = await tx.chat.count({ where: { ownerId: chat.ownerId } });
      const violation = slotLimitViolation(owned, slotLimit);
      if (violation) throw conflict(violation);
      return tx.chat.create({ data, include: chatWithOwner });
    });
  } catch (error) {
    if (chat.slug !== null && isUniqueViolation(error)) throw conflict(slugTakenMessage(chat.slug));
    throw error;
  }
}

export const CHAT_NOT_FOUND = "Chat not found";

/** The chat with its owner, or NOT_FOUND "Chat not found". */
export async function loadChat(db: PrismaClient, chatId: number): Promise<ChatWithOwner> {
  const chat = await db.chat.findUnique({ where: { id: chatId }, include: chatWithOwner });
  if (!chat) throw notFound(CHAT_NOT_FOUND);
  return chat;
}

/** The facts the access rules need about a chat. */
export function accessFacts(chat: ChatWithOwner) {
  return { visibility: chat.visibility, ownerId: chat.ownerId, ownerLevel: chat.owner.permissionLevel };
}

export async function isChatMember(db: PrismaClient, chatId: number, userId: number): Promise<boolean> {
  return (await db.chatMember.count({ where: { chatId, userId } })) > 0;
}

/** Every chat, every visibility, oldest first (by id, so the order is stable across calls). */
export function listAllChats(db: PrismaClient): Promise<ChatWithOwner[]> {
  return db.chat.findMany({ include: chatWithOwner, orderBy: { id: "asc" } });
}

/** The stored browser_config of a chat. */
export function storedBrowserConfig(chat: Pick<ChatWithOwner, "browser" | "startUrl" | "kiosk">): BrowserConfig {
  return { browser: chat.browser, start_url: chat.startUrl, kiosk: chat.kiosk };
}

/**
 * A partial chat update. undefined: keep; null (where allowed): clear. `slug` and `visibility`
 * follow the §3 invariants (applyVisibilityChange); `browserConfig` is merged field by field.
 */
export interface ChatChanges {
  name?: string;
  visibility?: ChatVisibility;
  slug?: string | null;
  label?: string | null;
  description?: string | null;
  allowControlRequests?: boolean;
  browserConfig?: Partial<BrowserConfig> | null;
}

/**
 * Applies a partial update to a chat and answers the stored result. The row is locked while the
 * change is merged into it, so parallel partial updates never undo each other's fields, and
 * slug and visibility are always written together, so the stored pair is always valid.
 *
 * Errors: NOT_FOUND "Chat not found"; a BAD_REQUEST whose cause is a ZodError naming `slug` or
 * `visibility` when the invariant refuses the change (the REST adapter answers the 422 list);
 * CONFLICT "Slug 'x' is already taken", decided by the unique index, also under races.
 */
export async function updateChat(db: PrismaClient, chatId: number, changes: ChatChanges): Promise<ChatWithOwner> {
  try {
    return await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM chats WHERE id = ${chatId} FOR UPDATE`;
      const chat = await tx.chat.findUnique({ where: { id: chatId }, include: chatWithOwner });
      if (!chat) throw notFound(CHAT_NOT_FOUND);
      // Nothing given: no write, so updated_at stays what it was.
      if (Object.values(changes).every((value) => value === undefined)) return chat;
      const outcome = applyVisibilityChange({ visibility: chat.visibility, slug: chat.slug }, { slug: changes.slug, visibility: changes.visibility });
      if (!outcome.ok) throw invalidField([outcome.field], outcome.message);
      const browserConfig = mergeBrowserConfig(storedBrowserConfig(chat), changes.browserConfig);
      const data = {
        name: changes.name,
        label: changes.label,
        description: changes.description,
        allowControlRequests: changes.allowControlRequests,
        visibility: outcome.state.visibility,
        slug: outcome.state.slug,
        browser: browserConfig.browser,
        startUrl: browserConfig.start_url,
        kiosk: browserConfig.kiosk,
      } satisfies Prisma.ChatUncheckedUpdateInput;
      return tx.chat.update({ where: { id: chatId }, data, include: chatWithOwner });
    });
  } catch (error) {
    if (typeof changes.slug === "string" && isUniqueViolation(error)) throw conflict(slugTakenMessage(changes.slug));
    throw error;
  }
}

/** A member is online when one of their live sessions was seen within this window. */
export const ONLINE_WINDOW_MS = 5 * 60 * 1000;

const memberUser = { id: true, username: true, avatarUrl: true, permissionLevel: true } satisfies Prisma.UserSelect;

export interface ChatMemberView {
  user: Prisma.UserGetPayload<{ select: typeof memberUser }>;
  joinedAt: Date;
  isOnline: boolean;
}

/**
 * The members of a chat, the owner excluded, in the order they joined. `isOnline`: a session
 * that is neither revoked nor expired was seen (last_seen_at) within ONLINE_WINDOW_MS of `now`.
 */
export async function listChatMembers(db: PrismaClient, chat: Pick<ChatWithOwner, "id" | "ownerId">, now: Date): Promise<ChatMemberView[]> {
  const liveSince = new Date(now.getTime() - ONLINE_WINDOW_MS);
  const rows = await db.chatMember.findMany({
    where: { chatId: chat.id, userId: { not: chat.ownerId } },
    orderBy: [{ joinedAt: "asc" }, { userId: "asc" }],
    select: {
      joinedAt: true,
      user: {
        select: {
          ...memberUser,
          sessions: { where: { revokedAt: null, expiresAt: { gt: now }, lastSeenAt: { gte: liveSince } }, select: { id: true }, take: 1 },
        },
      },
    },
  });
  return rows.map(({ joinedAt, user: { sessions, ...user } }) => ({ user, joinedAt, isOnline: sessions.length > 0 }));
}

export const NOT_A_MEMBER = "User is not a member of this chat";
export const CANNOT_KICK_SELF = "You cannot kick yourself";
export const CANNOT_KICK_USER = "Not allowed to kick this user";

/**
 * Removes `userId`'s membership of `chat` on behalf of `actor`, whose right to kick on this chat
 * the caller has already checked; here the target is checked (canKickFromChat). Never touches
 * the browser VM. Answers the kicked user.
 *
 * Errors: BAD_REQUEST "You cannot kick yourself"; NOT_FOUND "User is not a member of this chat"
 * for an unknown user, a non-member, the chat's owner, or a membership a parallel kick removed;
 * FORBIDDEN when the hierarchy does not hold against the target.
 */
export async function kickChatMember(db: PrismaClient, actor: Actor, chat: ChatWithOwner, userId: number): Promise<{ id: number; username: string }> {
  if (userId === actor.id) throw badRequest(CANNOT_KICK_SELF);
  const member = await db.chatMember.findUnique({
    where: { chatId_userId: { chatId: chat.id, userId } },
    select: { user: { select: { id: true, username: true, permissionLevel: true } } },
  });
  if (!member || userId === chat.ownerId) throw notFound(NOT_A_MEMBER);
  if (!canKickFromChat(actor, accessFacts(chat), member.user)) throw forbidden(CANNOT_KICK_USER);
  // The delete's count, not the read above, decides between two parallel kicks.
  const { count } = await db.chatMember.deleteMany({ where: { chatId: chat.id, userId } });
  if (count === 0) throw notFound(NOT_A_MEMBER);
  return { id: member.user.id, username: member.user.username };
}

// Official before public before private: PostgreSQL orders an enum by its declaration order.
const pinnedFirst = [{ visibility: "asc" }, { id: "asc" }] satisfies Prisma.ChatOrderByWithRelationInput[];

/**
 * The chats `userId` can see (canSeeChat as a query): official and public ones, and private ones
 * they own or are a member of. Official first, then public, then private, each oldest first.
 */
export function listVisibleChats(db: PrismaClient, userId: number): Promise<ChatWithOwner[]> {
  return db.chat.findMany({
    where: { OR: [{ visibility: { not: "private" } }, { ownerId: userId }, { members: { some: { userId } } }] },
    include: chatWithOwner,
    orderBy: pinnedFirst,
  });
}

/** The directory: official chats (pinned) first, then public ones, each oldest first. */
export function listDirectoryChats(db: PrismaClient): Promise<ChatWithOwner[]> {
  return db.chat.findMany({ where: { visibility: { not: "private" } }, include: chatWithOwner, orderBy: pinnedFirst });
}
