import { router } from "../../../trpc.ts";
import { resolve } from "./resolve.ts";

export const portalInvitesRouter = router({ resolve });
