// portal.chats.start (§5.3): idempotent, the chat's owner or a platform Owner.
import { canRunBrowser } from "../../../domain/chat-access.ts";
import { chatIdInput } from "../../../domain/chat-rules.ts";
import { okResponse } from "../../../presenters/chats.ts";
import { startChatBrowser } from "../../../services/chat-browsers.ts";
import { authedProcedure } from "../../../trpc.ts";
import { chatWhereAllowed } from "../../chat-access.ts";

export const start = authedProcedure
  .input(chatIdInput)
  .output(okResponse)
  .mutation(async ({ ctx, input }) => {
    const chat = await chatWhereAllowed(ctx, input.chat_id, canRunBrowser);
    await startChatBrowser(ctx.db, ctx.services, chat);
    return { ok: true as const };
  });
