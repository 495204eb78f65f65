// psession tokens (§1, §2): random, ≥ 256 bits, stored only as a SHA-256 hash.
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient, User } from "@portal/db";
import { PermissionLevel } from "../domain/levels.ts";

export const SESSION_COOKIE = "psession";
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * last_seen_at is refreshed at most this often, so most reads stay reads; well inside the 5-minute
 * online window of chat members (ONLINE_WINDOW_MS), so `is_online` is never a whole window late.
 */
const LAST_SEEN_RESOLUTION_MS = 60 * 1000;

export type SessionUser = Pick<
  User,
  "id" | "username" | "permissionLevel" | "subscriptionTier" | "subscriptionExpiresAt" | "chatSlotOverride" | "avatarUrl" | "createdAt"
>;

/** The user fields a session carries to procedures. */
export const sessionUserFields = {
  id: true,
  username: true,
  permissionLevel: true,
  subscriptionTier: true,
  subscriptionExpiresAt: true,
  chatSlotOverride: true,
  avatarUrl: true,
  createdAt: true,
} satisfies Record<keyof SessionUser, true>;

export interface AuthSession {
  id: number;
  tokenSuffix: string;
  expiresAt: Date;
  user: SessionUser;
}

export interface ClientInfo {
  clientIp?: string | null;
  userAgent?: string | null;
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Admins and Owners get 1-day sessions, everyone else 30 days (§2). */
export function sessionLifetimeMs(permissionLevel: number): number {
  return permissionLevel >= PermissionLevel.admin ? DAY_MS : 30 * DAY_MS;
}

export async function createSession(
  db: PrismaClient,
  user: Pick<User, "id" | "permissionLevel">,
  client: ClientInfo,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs(user.permissionLevel));
  await db.session.create({
    data: {
      tokenHash: hashSessionToken(token),
      tokenSuffix: token.slice(-8),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      clientIp: client.clientIp?.slice(0, 64) ?? null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
    },
  });
  return { token, expiresAt };
}

/** The live session a token belongs to, or null when it is unknown, expired or revoked. */
export async function findSession(db: PrismaClient, token: string | undefined, now: Date): Promise<AuthSession | null> {
  if (!token || token.length > 256) return null;
  const row = await db.session.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    select: {
      id: true,
      tokenSuffix: true,
      expiresAt: true,
      revokedAt: true,
      lastSeenAt: true,
      user: { select: sessionUserFields },
    },
  });
  if (!row || row.revokedAt !== null || row.expiresAt <= now) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db.session.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  return { id: row.id, tokenSuffix: row.tokenSuffix, expiresAt: row.expiresAt, user: row.user };
}

/** Ends a session at once: the next request with its token is unauthenticated. */
export async function revokeSession(db: PrismaClient, sessionId: number, now: Date): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}

/** A user's sessions that still work (not revoked, not expired), newest first. */
export function listLiveSessions(db: PrismaClient, userId: number, now: Date) {
  return db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, tokenSuffix: true, createdAt: true, expiresAt: true, clientIp: true, userAgent: true },
  });
}

/** Revokes the user's live sessions whose token ends with `tokenSuffix`; answers how many. */
export async function revokeSessionsBySuffix(db: PrismaClient, userId: number, tokenSuffix: string, now: Date): Promise<number> {
  const { count } = await db.session.updateMany({
    where: { userId, tokenSuffix, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now },
  });
  return count;
}
