export { rateLimit, RATE_LIMIT_WINDOW_MS, type RateLimitOptions } from "./middleware.ts";
export { MemoryRateLimitStore, type RateLimitHit, type RateLimitStore } from "./store.ts";
export { tierOfProcedure, tierOfRestPath, tiersOfTrpcPath, type RateLimitTier } from "./tiers.ts";
