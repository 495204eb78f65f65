// Chat slots (§2): how many group chats a user may own.
import { PermissionLevel } from "./levels.ts";
import { isPremium, type Subscription } from "./subscriptions.ts";

export interface SlotDefaults {
  premium: number;
  admin: number;
}

export interface SlotHolder extends Subscription {
  permissionLevel: number;
  chatSlotOverride: number | null;
}

/** The slot limit of a user; `Infinity` for Owners. A per-user override wins over the defaults. */
export function chatSlotLimit(user: SlotHolder, defaults: SlotDefaults, now: Date): number {
  if (user.permissionLevel >= PermissionLevel.owner) return Number.POSITIVE_INFINITY;
  if (user.chatSlotOverride !== null) return user.chatSlotOverride;
  if (user.permissionLevel >= PermissionLevel.admin) return defaults.admin;
  return isPremium(user, now) ? defaults.premium : 0;
}

/** Null when a new chat fits, else the 409 message naming the usage. */
export function slotLimitViolation(ownedChats: number, limit: number): string | null {
  if (ownedChats < limit) return null;
  return `Chat slot limit reached (${ownedChats} of ${limit} in use)`;
}
