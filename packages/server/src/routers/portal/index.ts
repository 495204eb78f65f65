import { router } from "../../trpc.ts";
import { portalChatsRouter } from "./chats/index.ts";
import { directory } from "./directory.ts";
import { portalInvitesRouter } from "./invites/index.ts";

export const portalRouter = router({ chats: portalChatsRouter, directory, invites: portalInvitesRouter });
