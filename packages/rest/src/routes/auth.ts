// /v1/authentication (§5.4)
import { body, type RestRoute } from "./types.ts";

export const authRoutes: RestRoute[] = [
  { method: "post", path: "/authentication/verify", procedure: "auth.verify", input: body, session: "optional", errors: { 401: "Invalid or expired code" } },
  { method: "post", path: "/authentication/logout", procedure: "auth.logout", session: "required" },
];
