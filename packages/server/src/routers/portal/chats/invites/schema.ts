// Input schemas of the portal invite procedures (outputs: presenters/invites.ts).
import { z } from "zod";
import { chatId } from "../../../../domain/chat-rules.ts";

/** the largest max_uses the column holds */
const MAX_USES_LIMIT = 2_147_483_647;

/**
 * portal.chats.invites.create (§5.3): both optional, null or absent meaning no expiry and no use
 * limit. `expires_at` needs its time zone (`Z` or an offset); that it lies in the future is
 * checked against the server's clock in the procedure.
 */
export const createInviteInput = z.object({
  chat_id: chatId,
  expires_at: z.iso
    .datetime({ offset: true })
    .nullish()
    .transform((value) => (value ? new Date(value) : null)),
  max_uses: z
    .int()
    .min(1)
    .max(MAX_USES_LIMIT)
    .nullish()
    .transform((value) => value ?? null),
});

export type CreateInviteInput = z.input<typeof createInviteInput>;

/** An invite code as it comes in a path: any string, an unknown one is a 404. */
export const inviteCode = z.string();

export const revokeInviteInput = z.object({ chat_id: chatId, code: inviteCode });
