// The invite shapes of the portal routes (§5.3).
import { z } from "zod";
import type { Invite } from "../services/invites.ts";

export const inviteResponse = z.object({
  code: z.string(),
  chat_id: z.number().int(),
  created_by_id: z.number().int(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  uses: z.number().int().min(0),
  max_uses: z.number().int().min(1).nullable(),
});
export type InviteResponse = z.infer<typeof inviteResponse>;

export function toInvite(invite: Invite): InviteResponse {
  return {
    code: invite.code,
    chat_id: invite.chatId,
    created_by_id: invite.createdById,
    created_at: invite.createdAt.toISOString(),
    expires_at: invite.expiresAt?.toISOString() ?? null,
    uses: invite.uses,
    max_uses: invite.maxUses,
  };
}

export const inviteListResponse = z.object({ invites: z.array(inviteResponse) });

/** portal.invites.resolve: the chat the caller joined (or already belonged to). */
export const resolvedInviteResponse = z.object({ chat_id: z.number().int(), name: z.string() });
