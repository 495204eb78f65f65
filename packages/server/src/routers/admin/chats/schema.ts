// Input and output schemas of the admin chats procedures.
import { z } from "zod";
import { browserConfigInput, chatDescription, chatName, chatSlug } from "../../../domain/chat-rules.ts";

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
