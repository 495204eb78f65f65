// portal.events (§8): a subscription (server-sent events over /trpc) to chat events. Official and
// public chats' events reach everyone; a private chat's only those who may see it, decided when
// each event happens (the chat's owner, or a member at that moment).
import { canSeeChat } from "../../domain/chat-access.ts";
import { isChatMember } from "../../services/chats.ts";
import type { ChatEvent } from "../../services/chat-events.ts";
import { publicProcedure } from "../../trpc.ts";

export const events = publicProcedure.subscription(async function* ({ ctx, signal }): AsyncGenerator<ChatEvent> {
  const actor = ctx.session?.user ?? null;
  for await (const { event, audience } of ctx.services.events.stream(signal)) {
    const member =
      actor !== null &&
      audience.visibility === "private" &&
      audience.ownerId !== actor.id &&
      (audience.memberIds ? audience.memberIds.includes(actor.id) : await isChatMember(ctx.db, event.chat_id, actor.id));
    if (canSeeChat(actor, audience, member)) yield event;
  }
});
