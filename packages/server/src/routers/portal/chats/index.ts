import { router } from "../../../trpc.ts";
import { portalChatConfigRouter } from "./config/index.ts";
import { create } from "./create.ts";
import { remove } from "./delete.ts";
import { portalChatInvitesRouter } from "./invites/index.ts";
import { kick } from "./kick.ts";
import { list } from "./list.ts";
import { start } from "./start.ts";
import { status } from "./status.ts";
import { stop } from "./stop.ts";

export const portalChatsRouter = router({
  config: portalChatConfigRouter,
  create,
  delete: remove,
  invites: portalChatInvitesRouter,
  kick,
  list,
  start,
  status,
  stop,
});
