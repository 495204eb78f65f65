// Cross-site request refusal: a mutation that carries the psession cookie must come from the
// server's own pages or an allowed origin, so another site cannot replay a visitor's cookie.
// SameSite=Lax already stops most of it; this also covers same-site subdomains and old browsers.
// Requests without an Origin header (curl, scripts, server-to-server) are not from a browser page.
import { SESSION_COOKIE } from "@portal/server";
import { TRPCError } from "@trpc/server";
import type { Request, RequestHandler } from "express";
import type { Refuse } from "./refusals.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(text: string): string | null {
  try {
    return new URL(text).origin;
  } catch {
    return null;
  }
}

/** The origin the request was addressed to, as the browser saw it (trust proxy honoured). */
function ownOrigin(req: Request): string | null {
  return req.host ? originOf(`${req.protocol}://${req.host}`) : null;
}

export function refuseCrossSiteRequests(options: { allowedOrigins: readonly string[]; refuse: Refuse }): RequestHandler {
  const allowed = new Set(options.allowedOrigins);
  return (req, res, next) => {
    const origin = req.get("origin");
    if (SAFE_METHODS.has(req.method) || origin === undefined || req.cookies?.[SESSION_COOKIE] === undefined) return next();
    // An opaque origin ("null": sandboxed frames, some redirects) matches nothing.
    const sent = originOf(origin);
    if (sent !== null && sent !== "null" && (sent === ownOrigin(req) || allowed.has(sent))) return next();
    options.refuse(req, res, next, new TRPCError({ code: "FORBIDDEN", message: "Cross-site request refused" }));
  };
}
