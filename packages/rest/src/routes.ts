// The REST routes of the contract, each a translation to one procedure call.
import type { createCaller } from "@portal/server";

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
}

const body = (request: RestRequest) => request.body;

export const routes: readonly RestRoute[] = [
  { method: "post", path: "/admin/chats", input: body, call: (caller, input) => caller.admin.chats.create(input) },
];
