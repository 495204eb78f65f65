// Users as the operator command line manages them (§6).
import type { PrismaClient, User } from "@portal/db";
import { z } from "zod";
import { conflict, isUniqueViolation, notFound } from "../errors.ts";

export const username = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' and '-' only");

export interface UserChanges {
  permissionLevel?: number;
  subscriptionTier?: number;
  subscriptionExpiresAt?: Date | null;
  /** null returns the user to the configured default */
  chatSlotOverride?: number | null;
}

export async function createUser(db: PrismaClient, name: string, changes: UserChanges): Promise<User> {
  try {
    return await db.user.create({ data: { username: name, ...changes } });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`User '${name}' already exists`);
    throw error;
  }
}

export async function updateUser(db: PrismaClient, name: string, changes: UserChanges): Promise<User> {
  const user = await db.user.findUnique({ where: { username: name } });
  if (!user) throw notFound(`User '${name}' not found`);
  return db.user.update({ where: { id: user.id }, data: changes });
}

export async function findUserByName(db: PrismaClient, name: string): Promise<User> {
  const user = await db.user.findUnique({ where: { username: name } });
  if (!user) throw notFound(`User '${name}' not found`);
  return user;
}
