// The REST adapter: Express routes under /v1 that turn requests into procedure calls and errors
// into the REST contract. No rule lives here.
import { createCaller, type Context, type Location } from "@portal/server";
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import { HttpError, jsonInvalid, toErrorResponse } from "./errors.ts";
import { procedureCall } from "./procedures.ts";
import { routes as defaultRoutes, type RestRoute } from "./routes/index.ts";

export const MAX_BODY_BYTES = 64 * 1024;

export interface RestAdapterOptions {
  /** `res` is for what the procedures set on the response, such as the session cookie */
  createContext: (req: Request, res: Response) => Promise<Context>;
  /** called with every 5xx failure, for the log */
  onUnexpectedError?: (error: unknown, req: Request) => void;
  routes?: readonly RestRoute[];
}

const INTEGER = /^-?\d{1,15}$/;

/** A request without a body is a missing body, not an empty object. */
function bodyOf(req: Request): unknown {
  const length = req.headers["content-length"];
  const sent = req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
  return sent ? req.body : undefined;
}

function toInput(route: RestRoute, req: Request): unknown {
  const params: Record<string, string> = { ...(req.params as Record<string, string>) };
  const converted: Record<string, unknown> = { ...params };
  for (const name of route.intParams ?? []) {
    const raw = params[name];
    if (raw !== undefined && INTEGER.test(raw)) converted[name] = Number(raw);
  }
  const build = route.input ?? (() => converted);
  return build({ body: bodyOf(req), params: converted as Record<string, string>, query: req.query as Record<string, unknown> });
}

function locator(route: RestRoute, req: Request): (key: PropertyKey | undefined) => Location {
  const params = new Set(Object.keys(req.params ?? {}));
  const query = new Set(Object.keys((req.query as object | undefined) ?? {}));
  return (key) => {
    if (typeof key === "string" && params.has(key)) return "path";
    if (typeof key === "string" && query.has(key) && route.method === "get") return "query";
    return "body";
  };
}

export function createRestRouter(options: RestAdapterOptions): express.Router {
  const rest = express.Router();
  // Every body is read as JSON whatever its content type, like the reference API.
  rest.use(express.json({ limit: MAX_BODY_BYTES, type: () => true, strict: false }));

  const respondError = (error: unknown, req: Request, res: express.Response, route?: RestRoute) => {
    const response = toErrorResponse(error, route ? locator(route, req) : undefined);
    if (response.unexpected) options.onUnexpectedError?.(error, req);
    res.status(response.status).json(response.body);
  };

  const methodNotAllowed: RequestHandler = () => {
    throw new HttpError(405, { detail: "Method Not Allowed" });
  };

  const byPath = new Map<string, RestRoute[]>();
  for (const route of options.routes ?? defaultRoutes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);

  for (const [path, pathRoutes] of byPath) {
    const expressRoute = rest.route(path);
    for (const route of pathRoutes) {
      const call = procedureCall(route.procedure);
      expressRoute[route.method](async (req, res) => {
        try {
          const caller = createCaller(await options.createContext(req, res));
          const result = await call(caller, toInput(route, req));
          res.status(route.status?.(result) ?? 200).json(result);
        } catch (error) {
          respondError(error, req, res, route);
        }
      });
    }
    expressRoute.all(methodNotAllowed);
  }

  rest.use(() => {
    throw new HttpError(404, { detail: "Not Found" });
  });

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const type = (error as { type?: string }).type;
    if (type === "entity.too.large") return respondError(new HttpError(413, { detail: "Request body too large" }), req, res);
    if (type === "entity.parse.failed") return respondError(jsonInvalid(), req, res);
    // Other body-reading failures (bad encoding, aborted upload) are the client's, and say so.
    const { status, expose, message } = error as { status?: number; expose?: boolean; message?: string };
    if (type && expose && status && status < 500) return respondError(new HttpError(status, { detail: message ?? "Bad request" }), req, res);
    return respondError(error, req, res);
  };
  rest.use(onError);
  return rest;
}
