// /v1/authentication (§5.4)
import { body, type RestRoute } from "./types.ts";

export const authRoutes: RestRoute[] = [
  { method: "post", path: "/authentication/verify", input: body, call: (caller, input) => caller.auth.verify(input) },
  { method: "post", path: "/authentication/logout", call: (caller) => caller.auth.logout() },
];
