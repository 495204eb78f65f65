// portal.chats.delete (§5.3): the owner or a platform Owner; private chats also Admin+.
import { canDestroyChat } from "../../../domain/chat-access.ts";
import { chatIdInput } from "../../../domain/chat-rules.ts";
import { messageResponse } from "../../../presenters/chats.ts";
import { destroyChat } from "../../../services/chat-browsers.ts";
import { authedProcedure } from "../../../trpc.ts";
import { chatWhereAllowed } from "../../chat-access.ts";

export const remove = authedProcedure
  .input(chatIdInput)
  .output(messageResponse)
  .mutation(async ({ ctx, input }) => {
    // Admin+ may delete private chats they cannot see (abuse handling): the rule decides first.
    const chat = await chatWhereAllowed(ctx, input.chat_id, canDestroyChat);
    await destroyChat(ctx.db, ctx.services, chat);
    return { message: `Chat '${chat.name}' destroyed` };
  });
