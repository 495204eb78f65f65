// /v1/users/me (§5.4)
import type { RestRoute } from "./types.ts";

export const userRoutes: RestRoute[] = [
  { method: "get", path: "/users/me", procedure: "users.me", session: "required" },
  { method: "get", path: "/users/me/sessions", procedure: "users.sessions.list", session: "required" },
  {
    method: "post",
    path: "/users/me/sessions/:token_suffix/destroy",
    procedure: "users.sessions.destroy",
    session: "required",
    errors: { 400: "The current session: log out instead" },
  },
];
