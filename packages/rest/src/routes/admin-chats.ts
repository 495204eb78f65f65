// /v1/admin/chats (§5.1, §5.2)
import { body, type RestRoute } from "./types.ts";

export const adminChatRoutes: RestRoute[] = [
  { method: "post", path: "/admin/chats", input: body, call: (caller, input) => caller.admin.chats.create(input) },
];
