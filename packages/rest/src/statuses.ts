// Which statuses a REST route can answer and why, derived in one place from its traits and the
// failures its table entry names (§1, §5). The OpenAPI document lists exactly these.
import { procedureAt } from "./procedures.ts";
import type { RestRoute } from "./routes/types.ts";

export interface DocumentedStatus {
  status: number;
  /** the procedure's result, `{"detail": string}`, or the 422 list */
  body: "result" | "detail" | "validation";
  /** when the route answers it, in words */
  reasons: string[];
}

/** The names of a route's path parameters: `/chats/:chat_id` → `chat_id`. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
}

/** What a path parameter names, for the 404's words. */
const pathThings: Record<string, string> = { chat_id: "chat", code: "invite", token_suffix: "session" };

export function documentedStatuses(route: RestRoute): DocumentedStatus[] {
  const errors = route.errors ?? {};
  const post = route.method === "post";
  const params = pathParams(route.path);
  const hasInput = procedureAt(route.procedure)._def.inputs.length > 0;

  const reasons = new Map<number, string[]>();
  const add = (status: number, reason: string | false | undefined) => {
    if (reason) reasons.set(status, [...(reasons.get(status) ?? []), reason]);
  };
  add(400, errors[400]);
  add(401, route.session === "required" && "Not authenticated: no valid psession cookie");
  add(401, errors[401]);
  add(403, errors[403]);
  // The cross-site check runs in front of every POST, whatever the route.
  add(403, post && "Cross-site request refused: the psession cookie came from another site's page");
  add(404, params.length > 0 && `Unknown ${params.map((name) => pathThings[name] ?? name).join(" or ")}`);
  add(404, errors[404]);
  add(409, errors[409]);
  add(410, errors[410]);
  // Every POST body is read as JSON, also by routes that need none.
  add(413, post && "Request body too large: over 64 KiB");
  add(422, hasInput && "Invalid input: one entry per invalid field");
  add(422, post && "The body is not JSON");
  add(429, "Too many requests for the route's rate-limit tier: see Retry-After");
  add(500, "Internal server error: the cause is logged under the response's x-request-id");
  add(503, route.browserVm && "Browser backend unavailable: the Docker engine does not answer, or the browser image or VM is not ready");

  const results: DocumentedStatus[] = [{ status: 200, body: "result", reasons: ["OK"] }];
  for (const [status, reason] of Object.entries(route.resultStatuses ?? {})) {
    if (reasons.has(Number(status))) throw new Error(`${route.procedure}: ${status} cannot be both a result and an error`);
    results.push({ status: Number(status), body: "result", reasons: [reason] });
  }
  const failures = [...reasons].map(([status, why]): DocumentedStatus => ({ status, body: status === 422 ? "validation" : "detail", reasons: why }));
  return [...results, ...failures].sort((a, b) => a.status - b.status);
}
