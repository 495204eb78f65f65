import { router } from "../../../trpc.ts";
import { create } from "./create.ts";

export const adminChatsRouter = router({ create });
