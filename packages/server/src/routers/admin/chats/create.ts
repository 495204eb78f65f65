// admin.chats.create — Create Official Chat (§5.1).
import { resolveBrowserConfig } from "../../../domain/chat-rules.ts";
import { chatSlotLimit } from "../../../domain/slots.ts";
import { toChatStatus } from "../../../presenters/chat-status.ts";
import { createChat } from "../../../services/chats.ts";
import { configuredInput, levelProcedure } from "../../../trpc.ts";
import { createChatInput, createChatOutput } from "./schema.ts";

export const create = levelProcedure((ctx) => ctx.config.officialChatMinLevel)
  .use(configuredInput((config) => createChatInput(config.browsers)))
  .input(createChatInput(null))
  .output(createChatOutput)
  .mutation(async ({ ctx, input }) => {
    const owner = ctx.session.user;
    // Owners are unlimited; below Owner (a lowered minimum level) the slot limit applies.
    const slotLimit = chatSlotLimit(owner, ctx.config.slotDefaults, ctx.services.now());
    const chat = await createChat(
      ctx.db,
      {
        ownerId: owner.id,
        name: input.name,
        slug: input.slug,
        description: input.description,
        visibility: "official",
        allowControlRequests: input.allow_control_requests,
        browserConfig: resolveBrowserConfig(input.browser_config, ctx.config.defaultBrowser),
      },
      slotLimit,
    );
    // The browser VM is never started on creation.
    ctx.services.events.publish({ type: "chat:created", chat_id: chat.id }, chat);
    return toChatStatus(chat, { running: false, viewerCount: 0 });
  });
