// portal.chats.create (§5.3): a private chat for a premium user or Admin+, within their slots.
import { canCreatePrivateChat } from "../../../domain/chat-access.ts";
import { resolveBrowserConfig } from "../../../domain/chat-rules.ts";
import { chatSlotLimit } from "../../../domain/slots.ts";
import { forbidden } from "../../../errors.ts";
import { portalChatResponse, toPortalChat } from "../../../presenters/chats.ts";
import { createChat } from "../../../services/chats.ts";
import { authedProcedure, configuredInput } from "../../../trpc.ts";
import { createPrivateChatInput } from "./schema.ts";

export const PREMIUM_REQUIRED = "Premium subscription required";

// Checked before the input, like the level of admin.chats.create: a refused caller learns no rules.
const premiumOrAdmin = authedProcedure.use(({ ctx, next }) => {
  if (!canCreatePrivateChat(ctx.session.user, ctx.services.now())) throw forbidden(PREMIUM_REQUIRED);
  return next();
});

export const create = premiumOrAdmin
  .use(configuredInput((config) => createPrivateChatInput(config.browsers)))
  .input(createPrivateChatInput(null))
  .output(portalChatResponse)
  .mutation(async ({ ctx, input }) => {
    const owner = ctx.session.user;
    const chat = await createChat(
      ctx.db,
      {
        ownerId: owner.id,
        name: input.name,
        slug: null,
        description: input.description,
        visibility: "private",
        allowControlRequests: input.allow_control_requests,
        browserConfig: resolveBrowserConfig(input.browser_config, ctx.config.defaultBrowser),
      },
      chatSlotLimit(owner, ctx.config.slotDefaults, ctx.services.now()),
    );
    ctx.services.events.publish({ type: "chat:created", chat_id: chat.id }, chat);
    return toPortalChat(chat);
  });
