import { router } from "../../trpc.ts";
import { me } from "./me.ts";
import { sessionsRouter } from "./sessions.ts";

export const usersRouter = router({ me, sessions: sessionsRouter });
