// Input schemas of the portal invite procedures (outputs: presenters/invites.ts).
import { z } from "zod";
import { chatId, MAX_INT4 } from "../../../../domain/chat-rules.ts";

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
    .max(MAX_INT4)
    .nullish()
    .transform((value) => value ?? null),
});

export type CreateInviteInput = z.input<typeof createInviteInput>;

/** An invite code as it comes in a path: any string, an unknown one is a 404. */
export const inviteCode = z.string();

export const revokeInviteInput = z.object({ chat_id: chatId, code: inviteCode });
