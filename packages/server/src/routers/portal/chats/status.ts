// portal.chats.status (§5.3): the ChatStatusResponse with live running and viewer_count, for
// anyone who may see the chat (official and public chats: no session needed).
import { chatIdInput } from "../../../domain/chat-rules.ts";
import { chatStatusResponse, toChatStatus } from "../../../presenters/chat-status.ts";
import { liveStates } from "../../../services/chat-browsers.ts";
import { publicProcedure } from "../../../trpc.ts";
import { visibleChat } from "../../chat-access.ts";

export const status = publicProcedure
  .input(chatIdInput)
  .output(chatStatusResponse)
  .query(async ({ ctx, input }) => {
    const chat = await visibleChat(ctx, input.chat_id);
    const live = (await liveStates(ctx.services.browserVms, [chat])).get(chat.id)!;
    return toChatStatus(chat, live);
  });
