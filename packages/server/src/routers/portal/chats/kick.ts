// portal.chats.kick (§5.3): the owner; on official and public chats anyone who can act on the
// owner; Admin+ on any chat. Only the membership changes, the browser VM is left alone.
import { canKickInChat } from "../../../domain/chat-access.ts";
import { okResponse } from "../../../presenters/chats.ts";
import { accessFacts, CANNOT_KICK_USER, kickChatMember, loadChat } from "../../../services/chats.ts";
import { authedProcedure } from "../../../trpc.ts";
import { requireChatPermission, visibleChat } from "../../chat-access.ts";
import { kickInput } from "./schema.ts";

export const kick = authedProcedure
  .input(kickInput)
  .output(okResponse)
  .mutation(async ({ ctx, input }) => {
    // Admin+ may kick from private chats they cannot see (abuse handling), so permission comes
    // first; a refused caller who cannot see the chat gets the unknown chat's 404 from visibleChat.
    const chat = await loadChat(ctx.db, input.chat_id);
    if (!canKickInChat(ctx.session.user, accessFacts(chat))) {
      await visibleChat(ctx, chat.id);
      requireChatPermission(false, CANNOT_KICK_USER);
    }
    await kickChatMember(ctx.db, ctx.session.user, chat, input.user_id);
    return { ok: true as const };
  });
