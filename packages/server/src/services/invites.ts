// Chat invites (§5.3): 16 random alphanumerics, at most 20 active per chat, and a code never admits
// more joins than its max_uses — the database's row locks and a conditional UPDATE decide races.
import { randomInt } from "node:crypto";
import type { Prisma, PrismaClient } from "@portal/db";
import type { TRPCError } from "@trpc/server";
import { conflict, gone, isForeignKeyViolation, notFound } from "../errors.ts";
import { CHAT_NOT_FOUND, isChatMember } from "./chats.ts";

export type Invite = Prisma.InviteGetPayload<object>;

export const INVITE_CODE_LENGTH = 16;
export const MAX_ACTIVE_INVITES = 20;
const CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export const INVITE_NOT_FOUND = "Invite not found";
export const INVITE_EXPIRED = "Invite has expired";
export const INVITE_USED_UP = "Invite has been used up";
export const INVITE_LIMIT_REACHED = `Invite limit reached (${MAX_ACTIVE_INVITES} active invites)`;

/** 16 characters of [A-Za-z0-9] from the CSPRNG (randomInt does not skew towards any letter). */
export function generateInviteCode(): string {
  let code = "";
  for (let i = 0; i < INVITE_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Active: not revoked, not expired at `now`, not used up. */
function activeInvites(db: Db, now: Date): Prisma.InviteWhereInput {
  return {
    revokedAt: null,
    AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, { OR: [{ maxUses: null }, { uses: { lt: db.invite.fields.maxUses } }] }],
  };
}

/** Why an invite cannot admit anyone at `now` (404 unknown or revoked, 410 expired or used up), or null. */
function refusal(invite: Pick<Invite, "revokedAt" | "expiresAt" | "uses" | "maxUses"> | null, now: Date): TRPCError | null {
  if (!invite || invite.revokedAt) return notFound(INVITE_NOT_FOUND);
  if (invite.expiresAt && invite.expiresAt <= now) return gone(INVITE_EXPIRED);
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return gone(INVITE_USED_UP);
  return null;
}

export interface NewInvite {
  chatId: number;
  createdById: number;
  expiresAt: Date | null;
  maxUses: number | null;
}

/**
 * Creates an invite unless the chat already has MAX_ACTIVE_INVITES active ones. The chat's row is
 * locked while they are counted, so parallel creates cannot pass the cap together.
 */
export async function createInvite(db: PrismaClient, invite: NewInvite, now: Date): Promise<Invite> {
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<unknown[]>`SELECT id FROM chats WHERE id = ${invite.chatId} FOR UPDATE`;
    if (locked.length === 0) throw notFound(CHAT_NOT_FOUND);
    const active = await tx.invite.count({ where: { chatId: invite.chatId, ...activeInvites(tx, now) } });
    if (active >= MAX_ACTIVE_INVITES) throw conflict(INVITE_LIMIT_REACHED);
    // Two equal 95-bit codes are not a case to handle: the unique index would refuse the second.
    return tx.invite.create({ data: { ...invite, code: generateInviteCode(), createdAt: now } });
  });
}

/** The chat's active invites, oldest first. */
export function listActiveInvites(db: PrismaClient, chatId: number, now: Date): Promise<Invite[]> {
  return db.invite.findMany({ where: { chatId, ...activeInvites(db, now) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** Revokes one of the chat's invites; NOT_FOUND for an unknown code, another chat's, or one already revoked. */
export async function revokeInvite(db: PrismaClient, chatId: number, code: string, now: Date): Promise<void> {
  const { count } = await db.invite.updateMany({ where: { chatId, code, revokedAt: null }, data: { revokedAt: now } });
  if (count === 0) throw notFound(INVITE_NOT_FOUND);
}

/**
 * Joins `userId` to the invite's chat: 404 for an unknown or revoked code. Expiry and max_uses
 * bound joins, so the chat's owner and its members, who join no one, get the answer whatever
 * those say and never use the invite; anyone else gets 410 once it expired or is used up. A join
 * inserts the membership and takes a use in one transaction, the use by a conditional UPDATE that
 * re-checks `uses < max_uses` on the locked row, so parallel resolves never admit more than
 * max_uses joins; a refused use rolls the membership back.
 */
export async function resolveInvite(db: PrismaClient, code: string, userId: number, now: Date): Promise<{ chatId: number; name: string }> {
  const invite = await db.invite.findUnique({ where: { code }, include: { chat: { select: { name: true, ownerId: true } } } });
  if (!invite || invite.revokedAt) throw notFound(INVITE_NOT_FOUND);
  const answer = { chatId: invite.chatId, name: invite.chat.name };
  if (invite.chat.ownerId === userId || (await isChatMember(db, invite.chatId, userId))) return answer;
  const refused = refusal(invite, now);
  if (refused) throw refused;

  try {
    return await db.$transaction(async (tx) => {
      const joined = await tx.chatMember.createMany({ data: [{ chatId: invite.chatId, userId, joinedAt: now }], skipDuplicates: true });
      // a parallel resolve of the same caller joined first: one join, one use
      if (joined.count === 0) return answer;
      const used = await tx.$executeRaw`
        UPDATE invites SET uses = uses + 1
        WHERE id = ${invite.id} AND revoked_at IS NULL
          AND (expires_at IS NULL OR expires_at > ${now})
          AND (max_uses IS NULL OR uses < max_uses)`;
      if (used === 0) throw refusal(await tx.invite.findUnique({ where: { id: invite.id } }), now) ?? gone(INVITE_USED_UP);
      return answer;
    });
  } catch (error) {
    // the chat was deleted since the invite was read, and its invites with it
    if (isForeignKeyViolation(error)) throw notFound(INVITE_NOT_FOUND);
    throw error;
  }
}
