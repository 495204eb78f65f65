// Which limit of §7 a call counts against: LOGIN for authentication, ADMIN for the admin group,
// PUBLIC for what anyone may read without a session, AUTH for the rest.
import type { RateLimits } from "@portal/server";

export type RateLimitTier = keyof RateLimits;

const publicProcedures = new Set(["health", "portal.directory"]);
const publicRestPaths = new Set(["/health", "/portal/directory"]);

/** `auth.verify`, `admin.chats.create`, ... */
export function tierOfProcedure(procedure: string): RateLimitTier {
  if (procedure.startsWith("auth.")) return "login";
  if (procedure.startsWith("admin.")) return "admin";
  if (publicProcedures.has(procedure)) return "public";
  return "auth";
}

/** A path under /v1 (`/admin/chats/1/start`). Express matches paths case-insensitively, so this does too. */
export function tierOfRestPath(path: string): RateLimitTier {
  const normalized = path.toLowerCase().replace(/\/+$/, "");
  if (normalized.startsWith("/authentication/")) return "login";
  if (normalized === "/admin" || normalized.startsWith("/admin/")) return "admin";
  if (publicRestPaths.has(normalized)) return "public";
  return "auth";
}

/** The tiers of a tRPC request, one per call: `/trpc/auth.verify,users.me` is a batch of two. */
export function tiersOfTrpcPath(path: string): RateLimitTier[] {
  let procedures: string;
  try {
    procedures = decodeURIComponent(path.replace(/^\/+/, ""));
  } catch {
    procedures = path;
  }
  return procedures.split(",").map(tierOfProcedure);
}
