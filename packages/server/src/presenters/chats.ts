// The chat shapes of the admin and portal routes (§5.2, §5.3).
import { z } from "zod";
import { chatVisibilities, isPublicVisibility } from "../domain/chat-rules.ts";
import { storedBrowserConfig, type ChatMemberView, type ChatWithOwner } from "../services/chats.ts";

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

/** browser_config as stored (§4) */
export const browserConfigResponse = z.object({ browser: z.string(), start_url: z.string().nullable(), kiosk: z.boolean() });

/** One member in admin.chats.get (§5.2) */
export const chatMemberResponse = z.object({
  user: z.object({ id: z.number().int(), username: z.string(), avatar_url: z.string().nullable(), permission_level: z.number().int() }),
  is_online: z.boolean(),
  joined_at: timestamp,
});

/** admin.chats.get (§5.2): GroupChatPublicResponse with browser_config and the members, owner excluded */
export const adminChatDetailResponse = groupChatPublicResponse.extend({
  browser_config: browserConfigResponse,
  member_count: z.number().int().min(0),
  members: z.array(chatMemberResponse),
});
export type AdminChatDetailResponse = z.infer<typeof adminChatDetailResponse>;

export function toAdminChatDetail(chat: ChatWithOwner, members: readonly ChatMemberView[]): AdminChatDetailResponse {
  return {
    ...toGroupChatPublic(chat),
    browser_config: storedBrowserConfig(chat),
    member_count: members.length,
    members: members.map((member) => ({
      user: { id: member.user.id, username: member.user.username, avatar_url: member.user.avatarUrl, permission_level: member.user.permissionLevel },
      is_online: member.isOnline,
      joined_at: member.joinedAt.toISOString(),
    })),
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

/** A directory entry (§5.3): the portal chat shape with the live state of its browser VM. */
export const directoryChatResponse = portalChatResponse.extend({ running: z.boolean(), viewer_count: z.number().int().min(0) });
export type DirectoryChatResponse = z.infer<typeof directoryChatResponse>;

export function toDirectoryChat(chat: ChatWithOwner, live: { running: boolean; viewerCount: number }): DirectoryChatResponse {
  return { ...toPortalChat(chat), running: live.running, viewer_count: live.viewerCount };
}

/** portal.chats.config.get (§5.3): the fields config.update changes, with the visibility they imply. */
export const chatConfigResponse = z.object({
  chat_id: z.number().int(),
  name: z.string(),
  slug: z.string().nullable(),
  visibility: z.enum(chatVisibilities),
  allow_control_requests: z.boolean(),
  browser_config: browserConfigResponse,
});
export type ChatConfigResponse = z.infer<typeof chatConfigResponse>;

export function toChatConfig(chat: ChatWithOwner): ChatConfigResponse {
  return {
    chat_id: chat.id,
    name: chat.name,
    slug: chat.slug,
    visibility: chat.visibility,
    allow_control_requests: chat.allowControlRequests,
    browser_config: storedBrowserConfig(chat),
  };
}

export const messageResponse = z.object({ message: z.string() });
export const okResponse = z.object({ ok: z.literal(true) });
