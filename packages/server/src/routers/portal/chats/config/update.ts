// portal.chats.config.update (§5.3): can_manage_chat "config"; the §3 invariants and the slug's
// uniqueness are the chat service's (updateChat), shared with admin.chats.update.
import { messageResponse } from "../../../../presenters/chats.ts";
import { updateChat } from "../../../../services/chats.ts";
import { authedProcedure, configuredInput } from "../../../../trpc.ts";
import { chatToManage } from "../../../chat-access.ts";
import { updateChatConfigInput } from "./schema.ts";

export const update = authedProcedure
  .use(configuredInput((config) => updateChatConfigInput(config.browsers)))
  .input(updateChatConfigInput(null))
  .output(messageResponse)
  .mutation(async ({ ctx, input }) => {
    const chat = await chatToManage(ctx, input.chat_id, "config");
    const updated = await updateChat(ctx.db, chat.id, {
      name: input.name,
      slug: input.slug,
      allowControlRequests: input.allow_control_requests,
      browserConfig: input.browser_config,
    });
    ctx.services.events.publish({ type: "chat:updated", chat_id: updated.id }, updated);
    return { message: "Chat config updated" };
  });
