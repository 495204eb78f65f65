// Domain failures as tRPC errors. The REST adapter maps their codes to HTTP statuses in one table.
import { Prisma } from "@portal/db";
import { TRPCError } from "@trpc/server";
import { BrowserBackendUnavailableError, BrowserVmError, BrowserVmNotReadyError, ImageUnavailableError, PortPoolExhaustedError } from "./browser-vms/index.ts";

export const notFound = (message: string) => new TRPCError({ code: "NOT_FOUND", message });
export const conflict = (message: string) => new TRPCError({ code: "CONFLICT", message });
export const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });

/** A unique index rejected the write: the database, not a prior read, decides races. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * The tRPC error a failure of the browser backend stands for, or null for anything else. 503s
 * say what is unavailable without internals; a full port pool is a conflict the caller can resolve.
 */
export function browserVmFailure(error: unknown): TRPCError | null {
  if (!(error instanceof BrowserVmError)) return null;
  if (error instanceof BrowserBackendUnavailableError) return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: error.message, cause: error });
  if (error instanceof ImageUnavailableError || error instanceof BrowserVmNotReadyError) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: error.message, cause: error });
  }
  if (error instanceof PortPoolExhaustedError) return new TRPCError({ code: "CONFLICT", message: error.message, cause: error });
  return null;
}
