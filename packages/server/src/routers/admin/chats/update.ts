// admin.chats.update (§5.2): a partial update under the §3 slug/visibility invariants; the only
// route that sets or clears a chat's label.
import { groupChatPublicResponse, toGroupChatPublic } from "../../../presenters/chats.ts";
import { updateChat } from "../../../services/chats.ts";
import { adminProcedure, configuredInput } from "../../../trpc.ts";
import { chatForAdmin } from "../../chat-access.ts";
import { updateChatInput } from "./schema.ts";

export const update = adminProcedure
  .use(configuredInput((config) => updateChatInput(config.browsers)))
  .input(updateChatInput(null))
  .output(groupChatPublicResponse)
  .mutation(async ({ ctx, input }) => {
    await chatForAdmin(ctx, input.chat_id);
    const chat = await updateChat(ctx.db, input.chat_id, {
      name: input.name,
      visibility: input.visibility,
      label: input.label,
      description: input.description,
      slug: input.slug,
      browserConfig: input.browser_config,
    });
    ctx.services.events.publish({ type: "chat:updated", chat_id: chat.id }, chat);
    return toGroupChatPublic(chat);
  });
