// ChatStatusResponse (§5.1): the live state of a chat, exactly these keys.
import { z } from "zod";
import { chatVisibilities } from "../domain/chat-rules.ts";
import type { ChatWithOwner } from "../services/chats.ts";

export const chatStatusResponse = z.object({
  chat_id: z.number().int(),
  chat_name: z.string(),
  username: z.string(),
  browser: z.string(),
  allow_control_requests: z.boolean(),
  visibility: z.enum(chatVisibilities),
  label: z.string().nullable(),
  slug: z.string().nullable(),
  description: z.string().nullable(),
  avatar_source: z.string().nullable(),
  running: z.boolean(),
  viewer_count: z.number().int().min(0),
});

export type ChatStatusResponse = z.infer<typeof chatStatusResponse>;

export interface LiveState {
  running: boolean;
  viewerCount: number;
}

export function toChatStatus(chat: ChatWithOwner, live: LiveState): ChatStatusResponse {
  return {
    chat_id: chat.id,
    chat_name: chat.name,
    username: chat.owner.username,
    browser: chat.browser,
    allow_control_requests: chat.allowControlRequests,
    visibility: chat.visibility,
    label: chat.label,
    slug: chat.slug,
    description: chat.description,
    avatar_source: chat.avatarSource,
    running: live.running,
    viewer_count: live.viewerCount,
  };
}
