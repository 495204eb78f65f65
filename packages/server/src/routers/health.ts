// health — is the server's database and Docker engine reachable (§5.5). No session needed.
import { z } from "zod";
import type { Context } from "../context.ts";
import { publicProcedure } from "../trpc.ts";

/** A database that does not answer within this long counts as down. */
const DATABASE_TIMEOUT_MS = 3_000;

export const healthOutput = z.object({
  status: z.enum(["healthy", "degraded", "unhealthy"]),
  database: z.boolean(),
  docker: z.boolean(),
  started_at: z.string(),
});
export type HealthResponse = z.infer<typeof healthOutput>;

async function databaseAnswers(db: Context["db"]): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), DATABASE_TIMEOUT_MS)));
  try {
    return await Promise.race([db.$queryRaw`SELECT 1`.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const health = publicProcedure.output(healthOutput).query(async ({ ctx }) => {
  const [database, docker] = await Promise.all([databaseAnswers(ctx.db), ctx.services.browserVms.ping()]);
  // Without Docker chats cannot start, but everything else works: degraded, not down.
  const status = !database ? "unhealthy" : docker ? "healthy" : "degraded";
  return { status, database, docker, started_at: ctx.services.startedAt.toISOString() };
});
