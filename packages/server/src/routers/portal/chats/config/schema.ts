// Input schemas of portal.chats.config (outputs: presenters/chats.ts).
import { z } from "zod";
import { browserConfigPatchInput, chatId, chatName, chatSlug } from "../../../../domain/chat-rules.ts";

/**
 * portal.chats.config.update (§5.3): every field optional. A slug makes a private chat public,
 * null makes the chat private; `browser_config` fields replace the stored ones one by one, and a
 * null `browser_config` is the same as none. Visibility is not an input here (unknown, ignored).
 */
export function updateChatConfigInput(browsers: readonly string[] | null) {
  return z.object({
    chat_id: chatId,
    name: chatName.optional(),
    slug: chatSlug.nullable().optional(),
    allow_control_requests: z.boolean().optional(),
    browser_config: browserConfigPatchInput(browsers).nullish(),
  });
}

export type UpdateChatConfigInput = z.input<ReturnType<typeof updateChatConfigInput>>;
