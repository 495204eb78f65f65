export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from "./root.ts";
export { ConfigError, defaultBrowserImages, loadConfig, type PortalConfig, type RateLimits } from "./config.ts";
export {
  createInnerContext,
  createRequestContext,
  createServices,
  recordingSessionCookie,
  resolveSession,
  type Context,
  type RecordedSessionCookie,
  type RequestInfo,
  type Services,
  type SessionCookie,
} from "./context.ts";
export { SESSION_COOKIE, createSession, findSession, hashSessionToken, sessionLifetimeMs, type AuthSession } from "./services/sessions.ts";
export { toValidationIssues, type Location, type ValidationIssue } from "./validation.ts";
export { GoneError } from "./errors.ts";
export * as levels from "./domain/levels.ts";
export * as subscriptions from "./domain/subscriptions.ts";
export { DockerBrowserVms, type BrowserVms } from "./browser-vms/index.ts";
export { applyReconcileReport, superviseChatBrowsers } from "./services/vm-supervision.ts";
