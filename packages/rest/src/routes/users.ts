// /v1/users/me (§5.4)
import type { RestRoute } from "./types.ts";

export const userRoutes: RestRoute[] = [
  { method: "get", path: "/users/me", call: (caller) => caller.users.me() },
  { method: "get", path: "/users/me/sessions", call: (caller) => caller.users.sessions.list() },
  { method: "post", path: "/users/me/sessions/:token_suffix/destroy", call: (caller, input) => caller.users.sessions.destroy(input) },
];
