// portal.chats.list (§5.3): every chat the caller can see, in the portal chat shape.
import { z } from "zod";
import { portalChatResponse, toPortalChat } from "../../../presenters/chats.ts";
import { listVisibleChats } from "../../../services/chats.ts";
import { authedProcedure } from "../../../trpc.ts";

export const list = authedProcedure.output(z.array(portalChatResponse)).query(async ({ ctx }) => {
  const chats = await listVisibleChats(ctx.db, ctx.session.user.id);
  return chats.map(toPortalChat);
});
