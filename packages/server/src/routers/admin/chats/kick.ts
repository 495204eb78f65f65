// admin.chats.kick (§5.2): removes a membership, hierarchy against the owner and the target. It
// works with the browser VM stopped: only the membership changes.
import { messageResponse } from "../../../presenters/chats.ts";
import { kickChatMember } from "../../../services/chats.ts";
import { adminProcedure } from "../../../trpc.ts";
import { chatForAdmin } from "../../chat-access.ts";
import { kickInput } from "./schema.ts";

export const kick = adminProcedure
  .input(kickInput)
  .output(messageResponse)
  .mutation(async ({ ctx, input }) => {
    const chat = await chatForAdmin(ctx, input.chat_id);
    const kicked = await kickChatMember(ctx.db, ctx.session.user, chat, input.user_id);
    return { message: `Kicked ${kicked.username} from chat '${chat.name}'` };
  });
