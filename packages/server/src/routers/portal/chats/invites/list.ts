// portal.chats.invites.list (§5.3): can_manage_chat "invites"; active invites only.
import { chatIdInput } from "../../../../domain/chat-rules.ts";
import { inviteListResponse, toInvite } from "../../../../presenters/invites.ts";
import { listActiveInvites } from "../../../../services/invites.ts";
import { authedProcedure } from "../../../../trpc.ts";
import { chatToManage } from "../../../chat-access.ts";

export const list = authedProcedure
  .input(chatIdInput)
  .output(inviteListResponse)
  .query(async ({ ctx, input }) => {
    const chat = await chatToManage(ctx, input.chat_id, "invites");
    const invites = await listActiveInvites(ctx.db, chat.id, ctx.services.now());
    return { invites: invites.map(toInvite) };
  });
