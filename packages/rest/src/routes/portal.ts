// /v1/portal (§5.3)
import { body, pathAndBody, type RestRoute } from "./types.ts";

const chatId = ["chat_id"] as const;
const OWNER_OR_PLATFORM_OWNER = "Not the chat's owner or a platform Owner";
const CANNOT_MANAGE = "May not manage this chat (can_manage_chat)";

export const portalRoutes: RestRoute[] = [
  { method: "get", path: "/portal/chats/:chat_id/status", procedure: "portal.chats.status", intParams: chatId, session: "optional" },
  {
    method: "post",
    path: "/portal/chats/:chat_id/start",
    procedure: "portal.chats.start",
    intParams: chatId,
    session: "required",
    browserVm: true,
    errors: { 403: OWNER_OR_PLATFORM_OWNER, 409: "No free ports for another browser VM" },
  },
  {
    method: "post",
    path: "/portal/chats/:chat_id/stop",
    procedure: "portal.chats.stop",
    intParams: chatId,
    session: "required",
    browserVm: true,
    errors: { 403: OWNER_OR_PLATFORM_OWNER },
  },
  {
    method: "post",
    path: "/portal/chats/:chat_id/delete",
    procedure: "portal.chats.delete",
    intParams: chatId,
    session: "required",
    errors: { 403: "Not the chat's owner or a platform Owner (nor Admin+, for a private chat)" },
  },
  {
    method: "post",
    path: "/portal/chats",
    procedure: "portal.chats.create",
    input: body,
    session: "required",
    errors: { 403: "Premium subscription required (or Admin+)", 409: "Chat slot limit reached" },
  },
  { method: "get", path: "/portal/chats", procedure: "portal.chats.list", session: "required" },
  { method: "get", path: "/portal/directory", procedure: "portal.directory", session: "optional" },
  {
    method: "get",
    path: "/portal/chats/:chat_id/config",
    procedure: "portal.chats.config.get",
    intParams: chatId,
    session: "required",
    errors: { 403: CANNOT_MANAGE },
  },
  {
    method: "post",
    path: "/portal/chats/:chat_id/config/update",
    procedure: "portal.chats.config.update",
    intParams: chatId,
    input: pathAndBody,
    session: "required",
    errors: { 403: CANNOT_MANAGE, 409: "Slug already taken" },
  },
  {
    method: "post",
    path: "/portal/chats/:chat_id/invites",
    procedure: "portal.chats.invites.create",
    intParams: chatId,
    input: pathAndBody,
    session: "required",
    errors: { 403: CANNOT_MANAGE, 409: "The chat already has 20 active invites" },
  },
  {
    method: "get",
    path: "/portal/chats/:chat_id/invites",
    procedure: "portal.chats.invites.list",
    intParams: chatId,
    session: "required",
    errors: { 403: CANNOT_MANAGE },
  },
  {
    method: "post",
    path: "/portal/chats/:chat_id/invites/:code/delete",
    procedure: "portal.chats.invites.revoke",
    intParams: chatId,
    session: "required",
    errors: { 403: CANNOT_MANAGE },
  },
  { method: "post", path: "/portal/resolve/:code", procedure: "portal.invites.resolve", session: "required", errors: { 410: "Invite expired or used up" } },
  {
    method: "post",
    path: "/portal/chats/:chat_id/kick",
    procedure: "portal.chats.kick",
    intParams: chatId,
    input: pathAndBody,
    session: "required",
    errors: { 400: "You cannot kick yourself", 403: "May not kick in this chat, or not this user", 404: "The user is not a member of the chat" },
  },
];
