// Input and output schemas of the users procedures (§5.4).
import { z } from "zod";

export { userResponse as meOutput } from "../../presenters/users.ts";

export const sessionsListOutput = z.object({
  sessions: z.array(
    z.object({
      token_suffix: z.string(),
      created_at: z.string(),
      expires_at: z.string(),
      client_ip: z.string().nullable(),
      user_agent: z.string().nullable(),
      is_current: z.boolean(),
    }),
  ),
});

export const sessionsDestroyInput = z.object({ token_suffix: z.string().min(1).max(64) });
export type SessionsDestroyInput = z.input<typeof sessionsDestroyInput>;

export const sessionsDestroyOutput = z.object({ destroyed: z.literal(true) });
