// Input and output schemas of the admin chats procedures.
import { z } from "zod";
import {
  browserConfigInput,
  browserConfigPatchInput,
  chatDescription,
  chatId,
  chatLabel,
  chatName,
  chatSlug,
  chatVisibilities,
  rowId,
} from "../../../domain/chat-rules.ts";

/** `browsers`: the configured browser list, or null for the static schema that types the input. */
export function createChatInput(browsers: readonly string[] | null) {
  return z.object({
    name: chatName,
    slug: chatSlug,
    description: chatDescription.nullish().transform((value) => value ?? null),
    allow_control_requests: z.boolean().default(false),
    browser_config: browserConfigInput(browsers).nullish(),
  });
}

export type CreateChatInput = z.input<ReturnType<typeof createChatInput>>;

export { chatStatusResponse as createChatOutput } from "../../../presenters/chat-status.ts";

/**
 * admin.chats.update (§5.2): every field optional. null clears `label`, `description` and `slug`
 * (a cleared slug makes the chat private unless `visibility` is given too); a null
 * `browser_config` is the same as none; its fields replace the stored ones one by one.
 */
export function updateChatInput(browsers: readonly string[] | null) {
  return z.object({
    chat_id: chatId,
    name: chatName.optional(),
    visibility: z.enum(chatVisibilities).optional(),
    label: chatLabel.nullable().optional(),
    description: chatDescription.nullable().optional(),
    slug: chatSlug.nullable().optional(),
    browser_config: browserConfigPatchInput(browsers).nullish(),
  });
}

export type UpdateChatInput = z.input<ReturnType<typeof updateChatInput>>;

/** admin.chats.kick (§5.2) */
export const kickInput = z.object({ chat_id: chatId, user_id: rowId });
