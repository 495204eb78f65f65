// Input schemas of the portal chats procedures (outputs: presenters/chats.ts).
import { z } from "zod";
import { browserConfigInput, chatDescription, chatId, chatName, rowId } from "../../../domain/chat-rules.ts";

/**
 * portal.chats.create (§5.3): a portal chat is always private, so there is no slug (a sent one is
 * ignored like any unknown field). `browsers`: the configured list, or null for the static schema.
 */
export function createPrivateChatInput(browsers: readonly string[] | null) {
  return z.object({
    name: chatName,
    description: chatDescription.nullish().transform((value) => value ?? null),
    allow_control_requests: z.boolean().default(false),
    browser_config: browserConfigInput(browsers).nullish(),
  });
}

export type CreatePrivateChatInput = z.input<ReturnType<typeof createPrivateChatInput>>;

/** portal.chats.kick (§5.3) */
export const kickInput = z.object({ chat_id: chatId, user_id: rowId });
