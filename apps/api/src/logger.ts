// Structured logs. Request lines carry ids, routes and timings only: never cookies, tokens or bodies.
import pino, { type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "portal-api" },
      // Defence in depth: nothing logs these, and if something ever does they stay hidden.
      redact: { paths: ["*.cookie", "*.cookies", "*.psession", "*.token", "*.authorization", "headers"], censor: "[redacted]" },
    },
    destination,
  );
}
