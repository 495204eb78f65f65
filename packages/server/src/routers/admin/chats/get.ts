// admin.chats.get (§5.2): the chat with its browser_config and its members, owner excluded.
import { chatIdInput } from "../../../domain/chat-rules.ts";
import { adminChatDetailResponse, toAdminChatDetail } from "../../../presenters/chats.ts";
import { listChatMembers } from "../../../services/chats.ts";
import { adminProcedure } from "../../../trpc.ts";
import { chatForAdmin } from "../../chat-access.ts";

export const get = adminProcedure
  .input(chatIdInput)
  .output(adminChatDetailResponse)
  .query(async ({ ctx, input }) => {
    const chat = await chatForAdmin(ctx, input.chat_id);
    const members = await listChatMembers(ctx.db, chat, ctx.services.now());
    return toAdminChatDetail(chat, members);
  });
