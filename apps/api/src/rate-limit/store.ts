// Where rate-limit counts live. In memory by default; several server instances behind one load
// balancer need a shared store (Redis INCR + PEXPIRE, or a PostgreSQL upsert) with the same contract.

export interface RateLimitHit {
  /** hits in the key's current window, this one included */
  count: number;
  /** milliseconds until that window ends and the count starts over */
  resetInMs: number;
}

export interface RateLimitStore {
  /**
   * Adds `cost` hits to `key`'s current fixed window (a new one of `windowMs` when none is open).
   * A shared store answers with a promise; the memory store answers at once, which spares every
   * request a trip through the microtask queue.
   */
  hit(key: string, windowMs: number, cost?: number): RateLimitHit | Promise<RateLimitHit>;
}

/** Fixed windows in a Map, for one server process. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweepAt = 0;

  /** `now` in epoch milliseconds: the server's clock, so tests can move time. */
  constructor(private readonly now: () => number = Date.now) {}

  /** open windows, for tests of the sweep */
  get size(): number {
    return this.windows.size;
  }

  hit(key: string, windowMs: number, cost = 1): RateLimitHit {
    const now = this.now();
    this.sweep(now, windowMs);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += cost;
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  /** Drops ended windows at most once per window length, so memory follows the active callers only. */
  private sweep(now: number, windowMs: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + windowMs;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
