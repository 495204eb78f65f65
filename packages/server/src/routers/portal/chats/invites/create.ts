// portal.chats.invites.create (§5.3): can_manage_chat "invites"; at most 20 active per chat.
import { invalidField } from "../../../../errors.ts";
import { inviteResponse, toInvite } from "../../../../presenters/invites.ts";
import { createInvite } from "../../../../services/invites.ts";
import { authedProcedure } from "../../../../trpc.ts";
import { chatToManage } from "../../../chat-access.ts";
import { createInviteInput } from "./schema.ts";

export const create = authedProcedure
  .input(createInviteInput)
  .output(inviteResponse)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.services.now();
    if (input.expires_at && input.expires_at <= now) throw invalidField(["expires_at"], "Input should be in the future");
    const chat = await chatToManage(ctx, input.chat_id, "invites");
    const invite = await createInvite(
      ctx.db,
      { chatId: chat.id, createdById: ctx.session.user.id, expiresAt: input.expires_at, maxUses: input.max_uses },
      now,
    );
    return toInvite(invite);
  });
