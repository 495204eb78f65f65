// The context every procedure sees. The inner context is what tests and server-side callers
// build directly; createRequestContext is the one way both HTTP transports (tRPC and REST) get it.
import type { PrismaClient } from "@portal/db";
import { DockerBrowserVms, type BrowserVms } from "./browser-vms/index.ts";
import type { PortalConfig } from "./config.ts";
import { ChatEvents } from "./services/chat-events.ts";
import { findSession, type AuthSession, type ClientInfo } from "./services/sessions.ts";

export interface Services {
  /** the clock, so tests can move time */
  now: () => Date;
  /** when this server started, for /v1/health */
  startedAt: Date;
  /** the chats' browser VMs (Docker containers) */
  browserVms: BrowserVms;
  /** live chat events for subscribers (§8) */
  events: ChatEvents;
}

export interface Context {
  db: PrismaClient;
  config: PortalConfig;
  session: AuthSession | null;
  services: Services;
  /** who is calling, for sessions created in this request */
  client: ClientInfo;
  /** sets or clears the caller's psession cookie; the transport owns the HTTP response */
  sessionCookie: SessionCookie;
}

export interface SessionCookie {
  set(token: string, maxAgeSeconds: number): void;
  clear(): void;
}

export interface RecordedSessionCookie extends SessionCookie {
  /** the last token set, null before any set and after a clear */
  token: string | null;
  maxAgeSeconds: number | null;
  cleared: boolean;
}

/** Outside HTTP (procedure tests, server-side callers) there is no response to set a cookie on: it is recorded. */
export function recordingSessionCookie(): RecordedSessionCookie {
  const recorded: RecordedSessionCookie = {
    token: null,
    maxAgeSeconds: null,
    cleared: false,
    set(token, maxAgeSeconds) {
      Object.assign(recorded, { token, maxAgeSeconds, cleared: false });
    },
    clear() {
      Object.assign(recorded, { token: null, maxAgeSeconds: null, cleared: true });
    },
  };
  return recorded;
}

export interface ContextDeps {
  db: PrismaClient;
  config: PortalConfig;
  services?: Partial<Services>;
}

// One Docker client per configuration, so callers that build contexts often share its state.
const browserVmsByConfig = new WeakMap<PortalConfig, BrowserVms>();

function browserVmsFor(config: PortalConfig): BrowserVms {
  let vms = browserVmsByConfig.get(config);
  if (!vms) browserVmsByConfig.set(config, (vms = new DockerBrowserVms({ config: config.browserVms, browserImages: config.browserImages })));
  return vms;
}

export function createServices(config: PortalConfig, overrides: Partial<Services> = {}): Services {
  return { now: () => new Date(), startedAt: new Date(), browserVms: overrides.browserVms ?? browserVmsFor(config), events: new ChatEvents(), ...overrides };
}

export function createInnerContext(
  deps: ContextDeps & { session?: AuthSession | null; client?: ClientInfo; sessionCookie?: SessionCookie },
): Context {
  return {
    db: deps.db,
    config: deps.config,
    session: deps.session ?? null,
    services: createServices(deps.config, deps.services),
    client: deps.client ?? {},
    sessionCookie: deps.sessionCookie ?? recordingSessionCookie(),
  };
}

export interface RequestDeps {
  db: PrismaClient;
  config: PortalConfig;
  services: Services;
}

/** The live session of a psession cookie value, or null. Transports call it once per request. */
export function resolveSession(deps: RequestDeps, sessionToken: string | undefined): Promise<AuthSession | null> {
  return findSession(deps.db, sessionToken, deps.services.now());
}

export interface RequestInfo {
  /** what resolveSession found for the request's psession cookie */
  session: AuthSession | null;
  sessionCookie: SessionCookie;
  /** read only by the few procedures that record it (a new session), so the transport may compute it lazily */
  client: ClientInfo;
}

/** The context for one HTTP request, the same for both transports. */
export function createRequestContext(deps: RequestDeps, request: RequestInfo): Context {
  return {
    db: deps.db,
    config: deps.config,
    session: request.session,
    services: deps.services,
    client: request.client,
    sessionCookie: request.sessionCookie,
  };
}
