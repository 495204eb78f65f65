// How a middleware in front of the transports refuses a request (cross-site, rate limited): each
// transport answers in its own error contract, so REST clients get {"detail": ...} and tRPC
// clients a tRPC error with the same code and status.
import { toErrorResponse } from "@portal/rest";
import type { TRPCError } from "@trpc/server";
import type { NextFunction, Request, Response } from "express";

export type Refuse = (req: Request, res: Response, next: NextFunction, error: TRPCError) => void;

/** REST: the answer is written at once, through the REST error table. */
export const refuseInRest: Refuse = (_req, res, _next, error) => {
  const { status, body } = toErrorResponse(error);
  res.status(status).json(body);
};

/** tRPC: the error is left for the context creation to throw (see refusalOf), so tRPC formats it. */
export const refuseInTrpc: Refuse = (_req, res, next, error) => {
  res.locals.refusal = error;
  next();
};

export function refusalOf(res: Response): TRPCError | undefined {
  return res.locals.refusal as TRPCError | undefined;
}
