// admin.chats.stop (§5.2): not idempotent — a stopped chat is a 409, an unknown one a 404.
import { chatIdInput } from "../../../domain/chat-rules.ts";
import { conflict, notFound } from "../../../errors.ts";
import { messageResponse } from "../../../presenters/chats.ts";
import { stopChatBrowser } from "../../../services/chat-browsers.ts";
import { adminProcedure } from "../../../trpc.ts";
import { chatForAdmin } from "../../chat-access.ts";

const NOT_RUNNING = "Chat not found or not running";

export const stop = adminProcedure
  .input(chatIdInput)
  .output(messageResponse)
  .mutation(async ({ ctx, input }) => {
    const chat = await chatForAdmin(ctx, input.chat_id).catch((error: { code?: string }) => {
      throw error.code === "NOT_FOUND" ? notFound(NOT_RUNNING) : error;
    });
    const { wasRunning } = await stopChatBrowser(ctx.db, ctx.services, chat);
    if (!wasRunning) throw conflict(NOT_RUNNING);
    return { message: `Chat '${chat.name}' stopped` };
  });
