// Chat persistence with the rules of §2 and §3 applied: slot limits held under concurrency, slug
// uniqueness decided by the database, the visibility invariant checked before every write.
import type { Prisma, PrismaClient } from "@portal/db";
import type { BrowserConfig, ChatVisibility } from "../domain/chat-rules.ts";
import { slugTakenMessage, visibilitySlugProblem } from "../domain/chat-rules.ts";
import { slotLimitViolation } from "../domain/slots.ts";
import { conflict, isUniqueViolation, notFound } from "../errors.ts";

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
