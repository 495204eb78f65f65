// The signed-in user as auth.verify and users.me answer it (§5.4), exactly these keys.
import { z } from "zod";
import type { SessionUser } from "../services/sessions.ts";

export const userResponse = z.object({
  id: z.number().int(),
  username: z.string(),
  avatar_url: z.string().nullable(),
  permission_level: z.number().int(),
  subscription_tier: z.number().int(),
  subscription_expires_at: z.string().nullable(),
  created_at: z.string(),
});
export type UserResponse = z.infer<typeof userResponse>;

export function toUserResponse(user: SessionUser): UserResponse {
  return {
    id: user.id,
    username: user.username,
    avatar_url: user.avatarUrl,
    permission_level: user.permissionLevel,
    subscription_tier: user.subscriptionTier,
    subscription_expires_at: user.subscriptionExpiresAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
  };
}
