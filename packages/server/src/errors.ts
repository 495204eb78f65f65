// Domain failures as tRPC errors. The REST adapter maps their codes to HTTP statuses in one table.
import { Prisma } from "@portal/db";
import { TRPCError } from "@trpc/server";

export const notFound = (message: string) => new TRPCError({ code: "NOT_FOUND", message });
export const conflict = (message: string) => new TRPCError({ code: "CONFLICT", message });
export const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });

/** A unique index rejected the write: the database, not a prior read, decides races. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
