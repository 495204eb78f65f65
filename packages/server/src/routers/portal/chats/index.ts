import { router } from "../../../trpc.ts";
import { remove } from "./delete.ts";
import { start } from "./start.ts";
import { status } from "./status.ts";
import { stop } from "./stop.ts";

export const portalChatsRouter = router({ delete: remove, start, status, stop });
