// The context every procedure sees. The inner context is what tests and server-side callers
// build directly; createRequestContext is the one way both HTTP transports (tRPC and REST) get it.
import type { PrismaClient } from "@portal/db";
import { DockerBrowserVms, type BrowserVms } from "./browser-vms/index.ts";
import type { PortalConfig } from "./config.ts";
import { findSession, type AuthSession, type ClientInfo } from "./services/sessions.ts";

export interface Services {
  /** the clock, so tests can move time */
  now: () => Date;
  /** the chats' browser VMs (Docker containers) */
  browserVms: BrowserVms;
}

export interface Context {
  db: PrismaClient;
  config: PortalConfig;
  session: AuthSession | null;
  services: Services;
  /** who is calling, for sessions created in this request */
  client: ClientInfo;
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
  return { now: () => new Date(), browserVms: overrides.browserVms ?? browserVmsFor(config), ...overrides };
}

export function createInnerContext(deps: ContextDeps & { session?: AuthSession | null; client?: ClientInfo }): Context {
  return {
    db: deps.db,
    config: deps.config,
    session: deps.session ?? null,
    services: createServices(deps.config, deps.services),
    client: deps.client ?? {},
  };
}

export interface RequestInfo extends ClientInfo {
  /** the psession cookie's value, if any */
  sessionToken: string | undefined;
}

/** Resolves the psession cookie into a session and builds the context for one request. */
export async function createRequestContext(deps: { db: PrismaClient; config: PortalConfig; services: Services }, request: RequestInfo): Promise<Context> {
  const session = await findSession(deps.db, request.sessionToken, deps.services.now());
  return {
    db: deps.db,
    config: deps.config,
    session,
    services: deps.services,
    client: { clientIp: request.clientIp ?? null, userAgent: request.userAgent ?? null },
  };
}
