// The rate limits of §7 as an Express middleware in front of both transports. Counts are kept per
// tier and per caller: the session for signed-in calls, else the client ip. The session's id
// stands for it, so no token (nor anything derived from one) is ever a key.
import type { RateLimits } from "@portal/server";
import { TRPCError } from "@trpc/server";
import type { Request, RequestHandler, Response } from "express";
import type { Refuse } from "../refusals.ts";
import type { RateLimitHit, RateLimitStore } from "./store.ts";
import type { RateLimitTier } from "./tiers.ts";

export const RATE_LIMIT_WINDOW_MS = 60_000;

export interface RateLimitOptions {
  /** per minute; 0 turns a tier off */
  limits: RateLimits;
  store: RateLimitStore;
  /** one tier per call the request makes (a tRPC batch makes several) */
  tiersOf: (req: Request) => RateLimitTier[];
  /** `session:<id>` for a signed-in caller, else `ip:<address>` */
  callerOf: (req: Request, res: Response) => Promise<string>;
  refuse: Refuse;
}

interface Count extends RateLimitHit {
  limit: number;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function rateLimit(options: RateLimitOptions): RequestHandler {
  return async (req, res, next) => {
    const calls = new Map<RateLimitTier, number>();
    for (const tier of options.tiersOf(req)) if (options.limits[tier] > 0) calls.set(tier, (calls.get(tier) ?? 0) + 1);
    if (calls.size === 0) return next();

    const caller = await options.callerOf(req, res);
    const hits = [...calls].map(([tier, cost]) => ({ limit: options.limits[tier], hit: options.store.hit(`${tier}:${caller}`, RATE_LIMIT_WINDOW_MS, cost) }));
    const counts: Count[] = hits.some(({ hit }) => hit instanceof Promise)
      ? await Promise.all(hits.map(async ({ limit, hit }) => ({ limit, ...(await hit) })))
      : hits.map(({ limit, hit }) => ({ limit, ...(hit as RateLimitHit) }));
    // The headers describe the tightest of the request's limits.
    const tightest = counts.reduce((a, b) => (b.limit - b.count < a.limit - a.count ? b : a));
    res.setHeader("RateLimit-Limit", String(tightest.limit));
    res.setHeader("RateLimit-Remaining", String(Math.max(0, tightest.limit - tightest.count)));
    res.setHeader("RateLimit-Reset", String(seconds(tightest.resetInMs)));

    const exceeded = counts.filter((count) => count.count > count.limit);
    if (exceeded.length === 0) return next();
    res.setHeader("Retry-After", String(seconds(Math.max(...exceeded.map((count) => count.resetInMs)))));
    options.refuse(req, res, next, new TRPCError({ code: "TOO_MANY_REQUESTS", message: "Too many requests" }));
  };
}
