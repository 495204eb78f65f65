import { router } from "../../trpc.ts";
import { adminChatsRouter } from "./chats/index.ts";

export const adminRouter = router({ chats: adminChatsRouter });
