// Who may do what with a chat (§2, §5.2, §5.3). Every procedure asks here; none decides alone.
import type { ChatVisibility } from "./chat-rules.ts";
import { canActOn, PermissionLevel } from "./levels.ts";
import { isPremium, type Subscription } from "./subscriptions.ts";

export interface Actor {
  id: number;
  permissionLevel: number;
}

export interface ChatAccessFacts {
  visibility: ChatVisibility;
  ownerId: number;
  ownerLevel: number;
}

const isOwnerOf = (actor: Actor, chat: Pick<ChatAccessFacts, "ownerId">) => actor.id === chat.ownerId;
const isAdminPlus = (actor: Actor) => actor.permissionLevel >= PermissionLevel.admin;

/** Admin routes: Admin+, and the hierarchy holds against the chat's owner (or it is their own chat). */
export function canAdministerChat(actor: Actor, chat: ChatAccessFacts): boolean {
  return isAdminPlus(actor) && (isOwnerOf(actor, chat) || canActOn(actor.permissionLevel, chat.ownerLevel));
}

/**
 * can_manage_chat: the owner always; on official and public chats anyone who can act on the
 * owner. On private chats config and invites stay the owner's, while delete and kick also allow
 * Admin+ (abuse handling).
 */
export function canManageChat(actor: Actor, chat: ChatAccessFacts, purpose: "config" | "invites" | "delete" | "kick"): boolean {
  if (isOwnerOf(actor, chat)) return true;
  if (chat.visibility !== "private") return canActOn(actor.permissionLevel, chat.ownerLevel);
  return (purpose === "delete" || purpose === "kick") && isAdminPlus(actor);
}

/** Official and public chats are visible to everyone; private ones to their owner and members. */
export function canSeeChat(actor: Actor | null, chat: Pick<ChatAccessFacts, "visibility" | "ownerId">, isMember: boolean): boolean {
  if (chat.visibility !== "private") return true;
  return actor !== null && (isOwnerOf(actor, chat) || isMember);
}

/** Portal start and stop of a chat's browser: its owner or a platform Owner. */
export function canRunBrowser(actor: Actor, chat: ChatAccessFacts): boolean {
  return isOwnerOf(actor, chat) || actor.permissionLevel >= PermissionLevel.owner;
}

/** Portal delete: the owner or a platform Owner; on private chats also Admin+. */
export function canDestroyChat(actor: Actor, chat: ChatAccessFacts): boolean {
  if (canRunBrowser(actor, chat)) return true;
  return chat.visibility === "private" && isAdminPlus(actor);
}

/**
 * Portal kick: the owner; on official and public chats anyone who can act on the owner; Admin+
 * on any chat. The target is never the actor, and the actor must be able to act on the target
 * unless the actor owns the chat.
 */
export function canKickFromChat(actor: Actor, chat: ChatAccessFacts, target: Actor): boolean {
  if (actor.id === target.id || target.id === chat.ownerId) return false;
  const mayKickHere = isOwnerOf(actor, chat) || isAdminPlus(actor) || (chat.visibility !== "private" && canActOn(actor.permissionLevel, chat.ownerLevel));
  return mayKickHere && (isOwnerOf(actor, chat) || canActOn(actor.permissionLevel, target.permissionLevel));
}

/** Portal create (§5.3): a premium subscription (premium or lifetime, not expired) or Admin+. */
export function canCreatePrivateChat(actor: Actor & Subscription, now: Date): boolean {
  return isAdminPlus(actor) || isPremium(actor, now);
}

/**
 * Portal kick before the target is known: the owner, Admin+ on any chat, and on official and
 * public chats anyone who can act on the owner. canKickFromChat then checks the target.
 */
export function canKickInChat(actor: Actor, chat: ChatAccessFacts): boolean {
  return isOwnerOf(actor, chat) || isAdminPlus(actor) || (chat.visibility !== "private" && canActOn(actor.permissionLevel, chat.ownerLevel));
}
