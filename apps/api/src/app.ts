// The HTTP application: tRPC at /trpc and the REST adapter at /v1 in one Express 5 app, both
// resolving the psession cookie through the same createRequestContext, both behind the same
// cross-site check and rate limits.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@portal/db";
import { createOpenApiRouter, createRestRouter, toErrorResponse } from "@portal/rest";
import {
  appRouter,
  createRequestContext,
  createServices,
  resolveSession,
  SESSION_COOKIE,
  type AuthSession,
  type PortalConfig,
  type Services,
  type SessionCookie,
} from "@portal/server";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import cookieParser from "cookie-parser";
import express, { type CookieOptions, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import { refuseCrossSiteRequests } from "./cross-site.ts";
import type { Logger } from "./logger.ts";
import { MemoryRateLimitStore, rateLimit, tierOfRestPath, tiersOfTrpcPath, type RateLimitStore, type RateLimitTier } from "./rate-limit/index.ts";
import { refusalOf, refuseInRest, refuseInTrpc, type Refuse } from "./refusals.ts";

export interface AppDeps {
  db: PrismaClient;
  config: PortalConfig;
  logger: Logger;
  services?: Services;
  /** rate-limit counts; in memory unless several instances share one store */
  rateLimitStore?: RateLimitStore;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function trustProxySetting(value: string): boolean | number | string {
  if (value === "true") return true;
  if (value === "false") return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** The route template (`/v1/admin/chats/:chat_id/start`), never the raw URL, which can hold codes. */
function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  if (req.baseUrl === "/trpc") return `/trpc${req.path}`;
  return req.baseUrl || "unmatched";
}

export function createApp(deps: AppDeps): express.Express {
  const services = deps.services ?? createServices(deps.config);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxySetting(deps.config.trustProxy));

  const requestLogOn = deps.logger.isLevelEnabled("info");
  const requestLog: RequestHandler = (req, res, next) => {
    const incoming = req.get("x-request-id");
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader("x-request-id", id);
    if (!requestLogOn) return next();
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger.info(
        { reqId: id, method: req.method, route: routeOf(req), status: res.statusCode, durationMs: Math.round(durationMs * 100) / 100 },
        "request",
      );
    });
    next();
  };
  app.use(requestLog);
  app.use(cookieParser());

  const requestDeps = { db: deps.db, config: deps.config, services };
  // One session lookup per request, shared by the rate limiter and the procedures.
  const sessionOf = (req: Request, res: Response): Promise<AuthSession | null> =>
    (res.locals.session ??= resolveSession(requestDeps, req.cookies?.[SESSION_COOKIE]));

  const createContext = async (req: Request, res: Response) =>
    createRequestContext(requestDeps, {
      session: await sessionOf(req, res),
      // Getters: the proxy-aware address parsing behind req.ip costs on every request, and only a login needs it.
      client: {
        get clientIp() {
          return req.ip ?? null;
        },
        get userAgent() {
          return req.get("user-agent") ?? null;
        },
      },
      sessionCookie: sessionCookieOf(req, res),
    });

  const logUnexpected = (error: unknown, req: Request) =>
    deps.logger.error({ reqId: req.res?.locals.requestId, err: error }, "unexpected error");

  const rateLimitStore = deps.rateLimitStore ?? new MemoryRateLimitStore(() => services.now().getTime());
  const guards = (refuse: Refuse, tiersOf: (req: Request) => RateLimitTier[]) => [
    refuseCrossSiteRequests({ allowedOrigins: deps.config.allowedOrigins, refuse }),
    rateLimit({
      limits: deps.config.rateLimits,
      store: rateLimitStore,
      tiersOf,
      callerOf: async (req, res) => {
        const session = await sessionOf(req, res);
        return session ? `session:${session.id}` : `ip:${req.ip ?? "unknown"}`;
      },
      refuse,
    }),
  ];

  app.use(
    "/trpc",
    guards(refuseInTrpc, (req) => tiersOfTrpcPath(req.path)),
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) => {
        const refusal = refusalOf(res);
        if (refusal) throw refusal;
        return createContext(req, res);
      },
      maxBodySize: 64 * 1024,
      onError: ({ error, req }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") logUnexpected(error.cause ?? error, req);
      },
    }),
  );
  // The document is public and cheap once built: in front of the guards, so no rate limit counts it.
  app.use("/v1", createOpenApiRouter(deps.config));
  app.use("/v1", guards(refuseInRest, (req) => [tierOfRestPath(req.path)]), createRestRouter({ createContext, onUnexpectedError: logUnexpected }));
  app.use((_req, res) => {
    res.status(404).json({ detail: "Not Found" });
  });
  // Failures before a transport took the request (the session lookup of the rate limiter).
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const response = toErrorResponse(error);
    if (response.unexpected) logUnexpected(error, req);
    res.status(response.status).json(response.body);
  };
  app.use(onError);
  return app;
}

/** The psession cookie on this response (§5.4): Secure when the request came over HTTPS. */
function sessionCookieOf(req: Request, res: Response): SessionCookie {
  // req.secure is read when a cookie is written, not for every request that might write one
  const options = (): CookieOptions => ({ httpOnly: true, sameSite: "lax", secure: req.secure, path: "/" });
  return {
    set: (token, maxAgeSeconds) => res.cookie(SESSION_COOKIE, token, { ...options(), maxAge: maxAgeSeconds * 1000 }),
    clear: () => res.clearCookie(SESSION_COOKIE, options()),
  };
}
