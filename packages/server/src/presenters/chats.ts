// The chat shapes of the admin and portal routes (§5.2, §5.3).
import { z } from "zod";
import { chatVisibilities, isPublicVisibility } from "../domain/chat-rules.ts";
import type { ChatWithOwner } from "../services/chats.ts";

const timestamp = z.string();

/** GroupChatPublicResponse (§5.2) */
export const groupChatPublicResponse = z.object({
  id: z.number().int(),
  name: z.string(),
  owner_id: z.number().int(),
  is_public: z.boolean(),
  visibility: z.enum(chatVisibilities),
  label: z.string().nullable(),
  slug: z.string().nullable(),
  description: z.string().nullable(),
  avatar_source: z.string().nullable(),
  last_activity_at: timestamp,
  created_at: timestamp,
  updated_at: timestamp,
});
export type GroupChatPublicResponse = z.infer<typeof groupChatPublicResponse>;

export function toGroupChatPublic(chat: ChatWithOwner): GroupChatPublicResponse {
  return {
    id: chat.id,
    name: chat.name,
    owner_id: chat.ownerId,
    is_public: isPublicVisibility(chat.visibility),
    visibility: chat.visibility,
    label: chat.label,
    slug: chat.slug,
    description: chat.description,
    avatar_source: chat.avatarSource,
    last_activity_at: chat.lastActivityAt.toISOString(),
    created_at: chat.createdAt.toISOString(),
    updated_at: chat.updatedAt.toISOString(),
  };
}

/** The portal's chat shape (§5.3 create and list) */
export const portalChatResponse = z.object({
  id: z.number().int(),
  chat_type: z.literal("group"),
  name: z.string(),
  owner: z.object({ id: z.number().int(), username: z.string(), avatar_url: z.string().nullable() }),
  visibility: z.enum(chatVisibilities),
  label: z.string().nullable(),
  slug: z.string().nullable(),
  description: z.string().nullable(),
  avatar_url: z.string().nullable(),
  archived: z.boolean(),
});
export type PortalChatResponse = z.infer<typeof portalChatResponse>;

export function toPortalChat(chat: ChatWithOwner): PortalChatResponse {
  return {
    id: chat.id,
    chat_type: "group",
    name: chat.name,
    owner: { id: chat.owner.id, username: chat.owner.username, avatar_url: chat.owner.avatarUrl },
    visibility: chat.visibility,
    label: chat.label,
    slug: chat.slug,
    description: chat.description,
    avatar_url: chat.avatarSource,
    archived: false,
  };
}

export const messageResponse = z.object({ message: z.string() });
export const okResponse = z.object({ ok: z.literal(true) });
