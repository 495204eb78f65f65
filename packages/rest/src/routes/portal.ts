// /v1/portal (§5.3)
import type { RestRoute } from "./types.ts";

const chatId = ["chat_id"] as const;

export const portalRoutes: RestRoute[] = [
  { method: "get", path: "/portal/chats/:chat_id/status", intParams: chatId, call: (caller, input) => caller.portal.chats.status(input) },
  { method: "post", path: "/portal/chats/:chat_id/start", intParams: chatId, call: (caller, input) => caller.portal.chats.start(input) },
  { method: "post", path: "/portal/chats/:chat_id/stop", intParams: chatId, call: (caller, input) => caller.portal.chats.stop(input) },
  { method: "post", path: "/portal/chats/:chat_id/delete", intParams: chatId, call: (caller, input) => caller.portal.chats.delete(input) },
];
