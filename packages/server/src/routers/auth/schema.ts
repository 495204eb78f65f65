// Input and output schemas of the authentication procedures (§5.4).
import { z } from "zod";
import { userResponse } from "../../presenters/users.ts";

export const verifyInput = z.object({
  // Any string: a code of the wrong shape is just an invalid code (401), not a validation error.
  code: z.string().trim(),
});
export type VerifyInput = z.input<typeof verifyInput>;

export const verifyOutput = z.object({ user_created: z.literal(false), ...userResponse.shape });

export { messageResponse as logoutOutput } from "../../presenters/chats.ts";
