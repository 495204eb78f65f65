// auth.logout — revokes the caller's session and clears the cookie (§5.4).
import { revokeSession } from "../../services/sessions.ts";
import { authedProcedure } from "../../trpc.ts";
import { logoutOutput } from "./schema.ts";

export const logout = authedProcedure.output(logoutOutput).mutation(async ({ ctx }) => {
  await revokeSession(ctx.db, ctx.session.id, ctx.services.now());
  ctx.sessionCookie.clear();
  return { message: "Logged out" };
});
