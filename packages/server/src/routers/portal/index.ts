import { router } from "../../trpc.ts";
import { portalChatsRouter } from "./chats/index.ts";
import { directory } from "./directory.ts";
import { events } from "./events.ts";
import { portalInvitesRouter } from "./invites/index.ts";

export const portalRouter = router({ chats: portalChatsRouter, directory, events, invites: portalInvitesRouter });
