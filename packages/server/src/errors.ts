// Domain failures as tRPC errors. The REST adapter maps their codes to HTTP statuses in one table.
import { Prisma } from "@portal/db";
import { TRPCError } from "@trpc/server";
import { ZodRealError } from "zod";
import { BrowserBackendUnavailableError, BrowserVmError, BrowserVmNotReadyError, ImageUnavailableError, PortPoolExhaustedError } from "./browser-vms/index.ts";

export const notFound = (message: string) => new TRPCError({ code: "NOT_FOUND", message });
export const conflict = (message: string) => new TRPCError({ code: "CONFLICT", message });
export const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });

/**
 * Something that existed but can no longer be used (an expired or used-up invite). REST answers
 * 410; tRPC has no such code, so its clients see NOT_FOUND with this message.
 */
export class GoneError extends TRPCError {
  override name = "GoneError";
  constructor(message: string) {
    super({ code: "NOT_FOUND", message });
  }
}

export const gone = (message: string) => new GoneError(message);

export const badRequest = (message: string) => new TRPCError({ code: "BAD_REQUEST", message });

/**
 * A rule across fields (the slug/visibility invariant) refused the input: the same 422 list as a
 * schema failure, naming the field at `path`.
 */
export function invalidField(path: (string | number)[], message: string): TRPCError {
  // The Error-based ZodError, as parsing throws it: tRPC keeps only Error causes as they are.
  const cause = new ZodRealError([{ code: "custom", path, message, input: undefined }]);
  return new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause });
}

/** A unique index rejected the write: the database, not a prior read, decides races. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** A foreign key refused the write: the row it points at (a chat) was deleted meanwhile. */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003";
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
