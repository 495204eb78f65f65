// portal.chats.start (§5.3): idempotent, the chat's owner or a platform Owner.
import { canRunBrowser } from "../../../domain/chat-access.ts";
import { chatIdInput } from "../../../domain/chat-rules.ts";
import { okResponse } from "../../../presenters/chats.ts";
import { startChatBrowser } from "../../../services/chat-browsers.ts";
import { accessFacts, loadChat } from "../../../services/chats.ts";
import { authedProcedure } from "../../../trpc.ts";
import { requireChatPermission, visibleChat } from "../../chat-access.ts";

export const start = authedProcedure
  .input(chatIdInput)
  .output(okResponse)
  .mutation(async ({ ctx, input }) => {
    // A platform Owner may start private chats they cannot see, so permission comes first; a
    // refused caller who cannot see the chat gets the unknown chat's 404 from visibleChat.
    const chat = await loadChat(ctx.db, input.chat_id);
    if (!canRunBrowser(ctx.session.user, accessFacts(chat))) {
      await visibleChat(ctx, chat.id);
      requireChatPermission(false);
    }
    await startChatBrowser(ctx.db, ctx.services.browserVms, chat);
    return { ok: true as const };
  });
