import { router } from "../../../trpc.ts";
import { create } from "./create.ts";
import { remove } from "./delete.ts";
import { start } from "./start.ts";
import { stop } from "./stop.ts";

export const adminChatsRouter = router({ create, delete: remove, start, stop });
