// portal.chats.invites.revoke (§5.3): can_manage_chat "invites"; 404 for an unknown code or
// another chat's.
import { messageResponse } from "../../../../presenters/chats.ts";
import { revokeInvite } from "../../../../services/invites.ts";
import { authedProcedure } from "../../../../trpc.ts";
import { chatToManage } from "../../../chat-access.ts";
import { revokeInviteInput } from "./schema.ts";

export const revoke = authedProcedure
  .input(revokeInviteInput)
  .output(messageResponse)
  .mutation(async ({ ctx, input }) => {
    const chat = await chatToManage(ctx, input.chat_id, "invites");
    await revokeInvite(ctx.db, chat.id, input.code, ctx.services.now());
    return { message: `Invite '${input.code}' revoked` };
  });
