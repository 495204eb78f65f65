// /v1/portal (§5.3)
import { body, pathAndBody, type RestRoute } from "./types.ts";

const chatId = ["chat_id"] as const;

export const portalRoutes: RestRoute[] = [
  { method: "get", path: "/portal/chats/:chat_id/status", intParams: chatId, call: (caller, input) => caller.portal.chats.status(input) },
  { method: "post", path: "/portal/chats/:chat_id/start", intParams: chatId, call: (caller, input) => caller.portal.chats.start(input) },
  { method: "post", path: "/portal/chats/:chat_id/stop", intParams: chatId, call: (caller, input) => caller.portal.chats.stop(input) },
  { method: "post", path: "/portal/chats/:chat_id/delete", intParams: chatId, call: (caller, input) => caller.portal.chats.delete(input) },
  { method: "post", path: "/portal/chats", input: body, call: (caller, input) => caller.portal.chats.create(input) },
  { method: "get", path: "/portal/chats", call: (caller) => caller.portal.chats.list() },
  { method: "get", path: "/portal/directory", call: (caller) => caller.portal.directory() },
  { method: "get", path: "/portal/chats/:chat_id/config", intParams: chatId, call: (caller, input) => caller.portal.chats.config.get(input) },
  {
    method: "post",
    path: "/portal/chats/:chat_id/config/update",
    intParams: chatId,
    input: pathAndBody,
    call: (caller, input) => caller.portal.chats.config.update(input),
  },
  {
    method: "post",
    path: "/portal/chats/:chat_id/invites",
    intParams: chatId,
    input: pathAndBody,
    call: (caller, input) => caller.portal.chats.invites.create(input),
  },
  { method: "get", path: "/portal/chats/:chat_id/invites", intParams: chatId, call: (caller, input) => caller.portal.chats.invites.list(input) },
  {
    method: "post",
    path: "/portal/chats/:chat_id/invites/:code/delete",
    intParams: chatId,
    call: (caller, input) => caller.portal.chats.invites.revoke(input),
  },
  { method: "post", path: "/portal/resolve/:code", call: (caller, input) => caller.portal.invites.resolve(input) },
  { method: "post", path: "/portal/chats/:chat_id/kick", intParams: chatId, input: pathAndBody, call: (caller, input) => caller.portal.chats.kick(input) },
];
