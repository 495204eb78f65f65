// admin.chats.start (§5.2): not idempotent — a running chat is a 409.
import { chatIdInput } from "../../../domain/chat-rules.ts";
import { conflict } from "../../../errors.ts";
import { messageResponse } from "../../../presenters/chats.ts";
import { startChatBrowser } from "../../../services/chat-browsers.ts";
import { adminProcedure } from "../../../trpc.ts";
import { chatForAdmin } from "../../chat-access.ts";

export const start = adminProcedure
  .input(chatIdInput)
  .output(messageResponse)
  .mutation(async ({ ctx, input }) => {
    const chat = await chatForAdmin(ctx, input.chat_id);
    const { alreadyRunning } = await startChatBrowser(ctx.db, ctx.services, chat);
    if (alreadyRunning) throw conflict("Chat is already running");
    return { message: `Chat '${chat.name}' started` };
  });
