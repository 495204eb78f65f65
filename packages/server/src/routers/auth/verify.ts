// auth.verify — turns a login code into a session and sets the psession cookie (§5.4).
import { TRPCError } from "@trpc/server";
import { toUserResponse } from "../../presenters/users.ts";
import { consumeLoginCode } from "../../services/login-codes.ts";
import { createSession } from "../../services/sessions.ts";
import { publicProcedure } from "../../trpc.ts";
import { verifyInput, verifyOutput } from "./schema.ts";

const INVALID_CODE = "Invalid or expired code";

export const verify = publicProcedure
  .input(verifyInput)
  .output(verifyOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.services.now();
    const user = await consumeLoginCode(ctx.db, input.code, now);
    if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_CODE });
    const session = await createSession(ctx.db, user, ctx.client, now);
    ctx.sessionCookie.set(session.token, Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000));
    // Users are created by the operator (§6), never by a login.
    return { user_created: false as const, ...toUserResponse(user) };
  });
