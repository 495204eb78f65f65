// /v1/admin/chats (§5.1, §5.2)
import { body, pathAndBody, type RestRoute } from "./types.ts";

const chatId = ["chat_id"] as const;

export const adminChatRoutes: RestRoute[] = [
  { method: "post", path: "/admin/chats", input: body, call: (caller, input) => caller.admin.chats.create(input) },
  { method: "post", path: "/admin/chats/:chat_id/delete", intParams: chatId, call: (caller, input) => caller.admin.chats.delete(input) },
  { method: "post", path: "/admin/chats/:chat_id/start", intParams: chatId, call: (caller, input) => caller.admin.chats.start(input) },
  { method: "post", path: "/admin/chats/:chat_id/stop", intParams: chatId, call: (caller, input) => caller.admin.chats.stop(input) },
  { method: "get", path: "/admin/chats", call: (caller) => caller.admin.chats.list() },
  { method: "get", path: "/admin/chats/:chat_id", intParams: chatId, call: (caller, input) => caller.admin.chats.get(input) },
  { method: "post", path: "/admin/chats/:chat_id/update", intParams: chatId, input: pathAndBody, call: (caller, input) => caller.admin.chats.update(input) },
  { method: "post", path: "/admin/chats/:chat_id/kick", intParams: chatId, input: pathAndBody, call: (caller, input) => caller.admin.chats.kick(input) },
];
