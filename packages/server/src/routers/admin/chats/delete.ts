// admin.chats.delete (§5.2): stops and removes the VM, deletes members and invites with the chat.
import { chatIdInput } from "../../../domain/chat-rules.ts";
import { messageResponse } from "../../../presenters/chats.ts";
import { destroyChat } from "../../../services/chat-browsers.ts";
import { adminProcedure } from "../../../trpc.ts";
import { chatForAdmin } from "../../chat-access.ts";

export const remove = adminProcedure
  .input(chatIdInput)
  .output(messageResponse)
  .mutation(async ({ ctx, input }) => {
    const chat = await chatForAdmin(ctx, input.chat_id);
    await destroyChat(ctx.db, ctx.services, chat);
    return { message: `Chat '${chat.name}' deleted` };
  });
