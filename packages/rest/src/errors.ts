// The REST error contract (§1) in one place: which status each failure gets and what its body
// says. Anything unexpected becomes a 500 that hides its internals.
import { GoneError, toValidationIssues, type Location, type ValidationIssue } from "@portal/server";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { z, ZodError } from "zod";

export type ErrorBody = { detail: string } | { detail: ValidationIssue[] };

/** Every error body but validation's, as the OpenAPI document shows it. */
export const errorBody = z.object({ detail: z.string() });

/** One invalid field of a 422: `loc` starts with where the field was, then its path. */
const validationIssue = z.object({
  loc: z.tuple([z.enum(["body", "path", "query"] satisfies Location[])], z.union([z.string(), z.int()])),
  msg: z.string(),
  type: z.string(),
}) satisfies z.ZodType<ValidationIssue>;

/** The 422 list form (§1), as the OpenAPI document shows it. */
export const validationErrorBody = z.object({ detail: z.array(validationIssue) });

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** true when the failure is a bug or an outage worth logging with its stack */
  unexpected: boolean;
}

/** An error the adapter itself raises before a procedure runs (routing, body parsing). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(typeof body.detail === "string" ? body.detail : "Validation error");
  }
}

const statusByCode: Partial<Record<TRPC_ERROR_CODE_KEY, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

export const INTERNAL_ERROR: ErrorBody = { detail: "Internal server error" };

export function validationError(issues: ValidationIssue[]): HttpError {
  return new HttpError(422, { detail: issues });
}

export const jsonInvalid = () =>
  validationError([{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }]);

/**
 * Turns anything a route threw into its REST response. `locate` tells which top-level input keys
 * came from the path or the query, for the `loc` of validation errors.
 */
export function toErrorResponse(error: unknown, locate?: (key: PropertyKey | undefined) => Location): ErrorResponse {
  if (error instanceof HttpError) return { status: error.status, body: error.body, unexpected: false };
  if (error instanceof TRPCError) {
    if (error.cause instanceof ZodError) {
      return { status: 422, body: { detail: toValidationIssues(error.cause, locate) }, unexpected: false };
    }
    // tRPC has no code for 410: the domain's GoneError carries it (its tRPC code is NOT_FOUND).
    const status = error instanceof GoneError ? 410 : statusByCode[error.code];
    if (status !== undefined) return { status, body: { detail: error.message }, unexpected: false };
  }
  return { status: 500, body: INTERNAL_ERROR, unexpected: true };
}
