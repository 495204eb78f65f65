// The shape of a REST route: a translation of one request to one procedure call.
import type { createCaller } from "@portal/server";
import { validationError } from "../errors.ts";

type Caller = ReturnType<typeof createCaller>;

export interface RestRequest {
  body: unknown;
  params: Record<string, string>;
  query: Record<string, unknown>;
}

export interface RestRoute {
  method: "get" | "post";
  /** Express path under /v1 */
  path: string;
  /** path parameters that must be integers (`chat_id`) */
  intParams?: readonly string[];
  /** the procedure input built from the request; path parameters already converted */
  input?: (request: RestRequest) => unknown;
  call: (caller: Caller, input: any) => Promise<unknown>;
  /** the success status when it depends on the result (health: 503 when the database is down); default 200 */
  status?: (result: any) => number;
}

/** The common input: the JSON body as it came. */
export const body = (request: RestRequest) => request.body;

/**
 * Path parameters and the body's fields in one flat input (`{ chat_id, name, ... }`), so typed
 * clients call `update({ chat_id, name })`. Path parameters win over same-named body fields.
 */
export const pathAndBody = (request: RestRequest) => {
  const { body: sent, params } = request;
  if (sent !== undefined && (typeof sent !== "object" || sent === null || Array.isArray(sent))) {
    throw validationError([{ loc: ["body"], msg: "Input should be a valid dictionary or object", type: "dict_type" }]);
  }
  return { ...(sent as object | undefined), ...params };
};
