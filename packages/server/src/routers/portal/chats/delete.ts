// portal.chats.delete (§5.3): the owner or a platform Owner; private chats also Admin+.
import { canDestroyChat } from "../../../domain/chat-access.ts";
import { chatIdInput } from "../../../domain/chat-rules.ts";
import { messageResponse } from "../../../presenters/chats.ts";
import { destroyChat } from "../../../services/chat-browsers.ts";
import { accessFacts, loadChat } from "../../../services/chats.ts";
import { authedProcedure } from "../../../trpc.ts";
import { requireChatPermission } from "../../chat-access.ts";

export const remove = authedProcedure
  .input(chatIdInput)
  .output(messageResponse)
  .mutation(async ({ ctx, input }) => {
    // Admin+ may delete private chats they cannot see (abuse handling), so no visibility check first.
    const chat = await loadChat(ctx.db, input.chat_id);
    requireChatPermission(canDestroyChat(ctx.session.user, accessFacts(chat)));
    await destroyChat(ctx.db, ctx.services.browserVms, chat.id);
    return { message: `Chat '${chat.name}' destroyed` };
  });
