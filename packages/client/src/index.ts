// The typed Portal client. In a browser the psession cookie travels by itself; in Node the
// caller passes the session token and it is sent as that cookie. @portal/server is a type-only
// dependency: nothing of the server is bundled into a client.
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, TRPCClientError, type TRPCLink } from "@trpc/client";
import { EventSource as NodeEventSource } from "eventsource";
import type { AppRouter, ValidationIssue } from "@portal/server";

export type { AppRouter, RouterInputs, RouterOutputs, ValidationIssue } from "@portal/server";

export interface PortalClientOptions {
  /** the server's base URL, e.g. http://127.0.0.1:3000 (tRPC is served under /trpc) */
  url: string;
  /** the psession token, for callers outside a browser */
  sessionToken?: string;
  /** batch calls made in the same tick into one request (default true) */
  batch?: boolean;
  fetch?: typeof globalThis.fetch;
}

export function createPortalClient(options: PortalClientOptions) {
  const base = options.url.replace(/\/+$/, "");
  const baseFetch = options.fetch ?? globalThis.fetch;
  const linkOptions = {
    url: `${base}/trpc`,
    headers: (): Record<string, string> => (options.sessionToken ? { cookie: `psession=${options.sessionToken}` } : {}),
    // Cross-origin browser callers need the cookie sent along too.
    fetch: (input: RequestInfo | URL, init?: RequestInit) => baseFetch(input, { ...init, credentials: "include" }),
  };
  const link: TRPCLink<AppRouter> = options.batch === false ? httpLink(linkOptions) : httpBatchLink(linkOptions);
  // Subscriptions (portal.events) run over server-sent events: the browser's EventSource sends the
  // cookie itself; elsewhere the `eventsource` package does, through a fetch that adds it.
  const subscriptions = httpSubscriptionLink<AppRouter, typeof NodeEventSource>({
    url: `${base}/trpc`,
    EventSource: (globalThis.EventSource as typeof NodeEventSource | undefined) ?? NodeEventSource,
    eventSourceOptions: {
      withCredentials: true,
      fetch: (input, init) => baseFetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...linkOptions.headers() } }),
    },
  });
  return createTRPCClient<AppRouter>({
    links: [splitLink({ condition: (op) => op.type === "subscription", true: subscriptions, false: link })],
  });
}

export type PortalClient = ReturnType<typeof createPortalClient>;

/** The per-field problems of a rejected input (the same list the REST API answers with 422). */
export function validationIssues(error: unknown): ValidationIssue[] | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { validation?: ValidationIssue[] | null } | undefined;
  return data?.validation ?? null;
}

export function isPortalClientError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}
