// Loading a chat for a procedure together with the access rule that procedure applies, so that
// "unknown chat" and "not allowed" answer the same way everywhere.
import type { AuthSession } from "../services/sessions.ts";
import { canAdministerChat, canManageChat, canSeeChat } from "../domain/chat-access.ts";
import { forbidden, notFound } from "../errors.ts";
import { accessFacts, CHAT_NOT_FOUND, isChatMember, loadChat, type ChatWithOwner } from "../services/chats.ts";
import type { Context } from "../context.ts";

export const CANNOT_MANAGE_CHAT = "Not allowed to manage this chat";

/** Admin routes: 404 for an unknown chat, 403 when the hierarchy does not hold against its owner. */
export async function chatForAdmin(ctx: Context & { session: AuthSession }, chatId: number): Promise<ChatWithOwner> {
  const chat = await loadChat(ctx.db, chatId);
  if (!canAdministerChat(ctx.session.user, accessFacts(chat))) throw forbidden(CANNOT_MANAGE_CHAT);
  return chat;
}

/** Portal routes: a private chat the caller may not see is answered as unknown, not as forbidden. */
export async function visibleChat(ctx: Context, chatId: number): Promise<ChatWithOwner> {
  const chat = await loadChat(ctx.db, chatId);
  await requireVisible(ctx, chat);
  return chat;
}

async function requireVisible(ctx: Context, chat: ChatWithOwner): Promise<void> {
  const actor = ctx.session?.user ?? null;
  const member = actor !== null && chat.visibility === "private" && (await isChatMember(ctx.db, chat.id, actor.id));
  if (!canSeeChat(actor, accessFacts(chat), member)) throw notFound(CHAT_NOT_FOUND);
}

/**
 * Portal routes whose rule may allow callers who cannot see the chat (a platform Owner starting,
 * an Admin deleting a private chat): the rule decides first; a refused caller who cannot see the
 * chat gets the unknown chat's 404, one who can gets 403.
 */
export async function chatWhereAllowed(
  ctx: Context & { session: AuthSession },
  chatId: number,
  allowed: (actor: AuthSession["user"], chat: ReturnType<typeof accessFacts>) => boolean,
): Promise<ChatWithOwner> {
  const chat = await loadChat(ctx.db, chatId);
  if (allowed(ctx.session.user, accessFacts(chat))) return chat;
  await requireVisible(ctx, chat);
  throw forbidden(CANNOT_MANAGE_CHAT);
}

/** Portal routes after visibleChat: 403 unless `allowed`. */
export function requireChatPermission(allowed: boolean, message = CANNOT_MANAGE_CHAT): void {
  if (!allowed) throw forbidden(message);
}

/** Portal routes gated by can_manage_chat: visibleChat's 404 first, then 403 unless allowed for `purpose`. */
export async function chatToManage(
  ctx: Context & { session: AuthSession },
  chatId: number,
  purpose: Parameters<typeof canManageChat>[2],
): Promise<ChatWithOwner> {
  const chat = await visibleChat(ctx, chatId);
  requireChatPermission(canManageChat(ctx.session.user, accessFacts(chat), purpose));
  return chat;
}
