import { router } from "../../trpc.ts";
import { portalChatsRouter } from "./chats/index.ts";

export const portalRouter = router({ chats: portalChatsRouter });
