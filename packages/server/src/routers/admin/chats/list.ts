// admin.chats.list (§5.2): every chat of every visibility, oldest first. The hierarchy rule is per
// chat and applies to acting on one; the list shows them all to Admin+.
import { z } from "zod";
import { groupChatPublicResponse, toGroupChatPublic } from "../../../presenters/chats.ts";
import { listAllChats } from "../../../services/chats.ts";
import { adminProcedure } from "../../../trpc.ts";

export const list = adminProcedure.output(z.array(groupChatPublicResponse)).query(async ({ ctx }) => {
  return (await listAllChats(ctx.db)).map(toGroupChatPublic);
});
