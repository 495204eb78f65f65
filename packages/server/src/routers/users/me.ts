// users.me — the signed-in user (§5.4).
import { toUserResponse } from "../../presenters/users.ts";
import { authedProcedure } from "../../trpc.ts";
import { meOutput } from "./schema.ts";

// The session lookup of this request already read the user: no second query.
export const me = authedProcedure.output(meOutput).query(({ ctx }) => toUserResponse(ctx.session.user));
