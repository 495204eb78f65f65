// portal.chats.config.get (§5.3): can_manage_chat "config".
import { chatIdInput } from "../../../../domain/chat-rules.ts";
import { chatConfigResponse, toChatConfig } from "../../../../presenters/chats.ts";
import { authedProcedure } from "../../../../trpc.ts";
import { chatToManage } from "../../../chat-access.ts";

export const get = authedProcedure
  .input(chatIdInput)
  .output(chatConfigResponse)
  .query(async ({ ctx, input }) => {
    const chat = await chatToManage(ctx, input.chat_id, "config");
    return toChatConfig(chat);
  });
