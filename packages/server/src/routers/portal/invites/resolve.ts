// portal.invites.resolve (§5.3): joins the signed-in caller to the invite's chat.
import { z } from "zod";
import { resolvedInviteResponse } from "../../../presenters/invites.ts";
import { resolveInvite } from "../../../services/invites.ts";
import { authedProcedure } from "../../../trpc.ts";
import { inviteCode } from "../chats/invites/schema.ts";

export const resolve = authedProcedure
  .input(z.object({ code: inviteCode }))
  .output(resolvedInviteResponse)
  .mutation(async ({ ctx, input }) => {
    const joined = await resolveInvite(ctx.db, input.code, ctx.session.user.id, ctx.services.now());
    return { chat_id: joined.chatId, name: joined.name };
  });
