// /v1/admin/chats (§5.1, §5.2)
import { body, pathAndBody, type RestRoute } from "./types.ts";

const chatId = ["chat_id"] as const;
const ADMIN_OVER_OWNER = "Below Admin, or not above the chat's owner in the level hierarchy";

export const adminChatRoutes: RestRoute[] = [
  {
    method: "post",
    path: "/admin/chats",
    procedure: "admin.chats.create",
    input: body,
    session: "required",
    errors: {
      403: "Below the minimum level for official chats: Owner unless PORTAL_OFFICIAL_CHAT_MIN_LEVEL lowers it",
      409: "Slug already taken, or the chat slot limit reached (below Owner)",
    },
  },
  { method: "post", path: "/admin/chats/:chat_id/delete", procedure: "admin.chats.delete", intParams: chatId, session: "required", errors: { 403: ADMIN_OVER_OWNER } },
  {
    method: "post",
    path: "/admin/chats/:chat_id/start",
    procedure: "admin.chats.start",
    intParams: chatId,
    session: "required",
    browserVm: true,
    errors: { 403: ADMIN_OVER_OWNER, 409: "Chat is already running, or no free ports for another browser VM" },
  },
  {
    method: "post",
    path: "/admin/chats/:chat_id/stop",
    procedure: "admin.chats.stop",
    intParams: chatId,
    session: "required",
    browserVm: true,
    errors: { 403: ADMIN_OVER_OWNER, 409: "Chat is not running" },
  },
  { method: "get", path: "/admin/chats", procedure: "admin.chats.list", session: "required", errors: { 403: "Below Admin" } },
  { method: "get", path: "/admin/chats/:chat_id", procedure: "admin.chats.get", intParams: chatId, session: "required", errors: { 403: ADMIN_OVER_OWNER } },
  {
    method: "post",
    path: "/admin/chats/:chat_id/update",
    procedure: "admin.chats.update",
    intParams: chatId,
    input: pathAndBody,
    session: "required",
    errors: { 403: ADMIN_OVER_OWNER, 409: "Slug already taken" },
  },
  {
    method: "post",
    path: "/admin/chats/:chat_id/kick",
    procedure: "admin.chats.kick",
    intParams: chatId,
    input: pathAndBody,
    session: "required",
    errors: { 400: "You cannot kick yourself", 403: "Below Admin, or not above the chat's owner or the kicked user in the level hierarchy", 404: "The user is not a member of the chat" },
  },
];
