// The shape of a REST route: a translation of one request to one procedure call, with the traits
// that say which statuses it can answer (statuses.ts reads them for the OpenAPI document).
import { validationError } from "../errors.ts";
import type { MutationPath, QueryPath } from "../procedures.ts";

export interface RestRequest {
  body: unknown;
  params: Record<string, string>;
  query: Record<string, unknown>;
}

/** The failures particular to one route (§5), by status, in words; statuses.ts adds the common ones. */
export type RouteErrors = { readonly [status in 400 | 401 | 403 | 404 | 409 | 410]?: string };

interface RestRouteTraits {
  /** Express path under /v1 */
  path: string;
  /** path parameters that must be integers (`chat_id`) */
  intParams?: readonly string[];
  /** the procedure input built from the request; path parameters already converted */
  input?: (request: RestRequest) => unknown;
  /** the success status when it depends on the result (health: 503 when the database is down); default 200 */
  status?: (result: any) => number;
  /** the statuses besides 200 that `status` can pick, and when: they answer the procedure's result too */
  resultStatuses?: { readonly [status: number]: string };
  /** "required": 401 without a valid psession cookie; "optional": works without one */
  session: "required" | "optional";
  /** starts or stops the chat's browser VM: 503 while the Docker engine is unreachable */
  browserVm?: true;
  errors?: RouteErrors;
}

/** A GET calls a query, a POST a mutation: the procedure's dotted path says which one. */
export type RestRoute = RestRouteTraits & ({ method: "get"; procedure: QueryPath } | { method: "post"; procedure: MutationPath });

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
