// portal.directory (§5.3): no session needed. Official chats (pinned) first, then public ones,
// each in the portal chat shape with its browser's live state from one engine listing.
import { z } from "zod";
import { directoryChatResponse, toDirectoryChat } from "../../presenters/chats.ts";
import { liveStates } from "../../services/chat-browsers.ts";
import { listDirectoryChats } from "../../services/chats.ts";
import { publicProcedure } from "../../trpc.ts";

export const directory = publicProcedure.output(z.array(directoryChatResponse)).query(async ({ ctx }) => {
  const chats = await listDirectoryChats(ctx.db);
  const live = await liveStates(ctx.services.browserVms, chats);
  return chats.map((chat) => toDirectoryChat(chat, live.get(chat.id)!));
});
