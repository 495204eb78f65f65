import { router } from "../../../trpc.ts";
import { create } from "./create.ts";
import { remove } from "./delete.ts";
import { get } from "./get.ts";
import { kick } from "./kick.ts";
import { list } from "./list.ts";
import { start } from "./start.ts";
import { stop } from "./stop.ts";
import { update } from "./update.ts";

export const adminChatsRouter = router({ create, delete: remove, get, kick, list, start, stop, update });
