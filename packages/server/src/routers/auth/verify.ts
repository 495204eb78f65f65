// auth.verify — turns a login code into a session and sets the psession cookie (§5.4).
import { TRPCError } from "@trpc/server";
import { toUserResponse } from "../../presenters/users.ts";
import { consumeLoginCode } from "../../services/login-codes.ts";
import { createSession, sessionUserFields } from "../../services/sessions.ts";
import { publicProcedure } from "../../trpc.ts";
import { verifyInput, verifyOutput } from "./schema.ts";

export const INVALID_CODE = "Invalid or expired code";

export const verify = publicProcedure
  .input(verifyInput)
  .output(verifyOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.services.now();
    const userId = await consumeLoginCode(ctx.db, input.code, now);
    if (userId === null) throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_CODE });
    const user = await ctx.db.user.findUniqueOrThrow({ where: { id: userId }, select: sessionUserFields });
    const session = await createSession(ctx.db, user, ctx.client, now);
    ctx.sessionCookie.set(session.token, Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000));
    // Users are created by the operator (§6), never by a login.
    return { user_created: false as const, ...toUserResponse(user) };
  });
