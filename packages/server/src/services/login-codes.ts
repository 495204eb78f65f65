// Login codes (§5.4, §6): 8 case-sensitive letters and digits, single use, valid 10 minutes, at
// most 5 pending per user, stored only as a SHA-256 hash. The operator issues them; auth.verify
// turns one into a session.
import { createHash, randomInt } from "node:crypto";
import type { PrismaClient, User } from "@portal/db";
import { conflict } from "../errors.ts";
import { sessionUserFields, type SessionUser } from "./sessions.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const LOGIN_CODE_LENGTH = 8;
export const LOGIN_CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_PENDING_LOGIN_CODES = 5;

export function hashLoginCode(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

function randomLoginCode(): string {
  let code = "";
  // randomInt is uniform over the alphabet (no modulo bias).
  for (let i = 0; i < LOGIN_CODE_LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export function tooManyPendingMessage(username: string): string {
  return `User '${username}' already has ${MAX_PENDING_LOGIN_CODES} pending login codes; use one or wait until one expires`;
}

/**
 * Issues a new code for the user. The user's row is locked while pending codes are counted, so
 * parallel issues cannot exceed the cap; the user's spent codes are removed on the way.
 */
export async function issueLoginCode(db: PrismaClient, user: Pick<User, "id" | "username">, now: Date): Promise<{ code: string; expiresAt: Date }> {
  const code = randomLoginCode();
  const expiresAt = new Date(now.getTime() + LOGIN_CODE_TTL_MS);
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${user.id} FOR UPDATE`;
    await tx.loginCode.deleteMany({ where: { userId: user.id, OR: [{ usedAt: { not: null } }, { expiresAt: { lte: now } }] } });
    const pending = await tx.loginCode.count({ where: { userId: user.id } });
    if (pending >= MAX_PENDING_LOGIN_CODES) throw conflict(tooManyPendingMessage(user.username));
    await tx.loginCode.create({ data: { codeHash: hashLoginCode(code), userId: user.id, createdAt: now, expiresAt } });
  });
  return { code, expiresAt };
}

/**
 * Marks the code used and answers its user, or null when the code is unknown, used or expired.
 * One conditional UPDATE decides: of concurrent verifies of one code exactly one wins.
 */
export async function consumeLoginCode(db: PrismaClient, code: string, now: Date): Promise<SessionUser | null> {
  if (code.length !== LOGIN_CODE_LENGTH) return null;
  const [used] = await db.loginCode.updateManyAndReturn({
    where: { codeHash: hashLoginCode(code), usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
    select: { user: { select: sessionUserFields } },
  });
  return used?.user ?? null;
}
