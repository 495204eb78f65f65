// users.sessions.list and users.sessions.destroy — the caller's own sessions (§5.4).
import { TRPCError } from "@trpc/server";
import { notFound } from "../../errors.ts";
import { listLiveSessions, revokeSessionsBySuffix } from "../../services/sessions.ts";
import { authedProcedure, router } from "../../trpc.ts";
import { sessionsDestroyInput, sessionsDestroyOutput, sessionsListOutput } from "./schema.ts";

const list = authedProcedure.output(sessionsListOutput).query(async ({ ctx }) => {
  const sessions = await listLiveSessions(ctx.db, ctx.session.user.id, ctx.services.now());
  return {
    sessions: sessions.map((session) => ({
      token_suffix: session.tokenSuffix,
      created_at: session.createdAt.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      client_ip: session.clientIp,
      user_agent: session.userAgent,
      is_current: session.id === ctx.session.id,
    })),
  };
});

const destroy = authedProcedure
  .input(sessionsDestroyInput)
  .output(sessionsDestroyOutput)
  .mutation(async ({ ctx, input }) => {
    if (input.token_suffix === ctx.session.tokenSuffix) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Cannot destroy the current session; log out instead" });
    }
    const destroyed = await revokeSessionsBySuffix(ctx.db, ctx.session.user.id, input.token_suffix, ctx.services.now());
    if (destroyed === 0) throw notFound("Session not found");
    return { destroyed: true as const };
  });

export const sessionsRouter = router({ list, destroy });
