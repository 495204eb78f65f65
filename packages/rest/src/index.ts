export { createRestRouter, MAX_BODY_BYTES, type RestAdapterOptions } from "./router.ts";
export { HttpError, toErrorResponse, type ErrorBody, type ErrorResponse } from "./errors.ts";
export { routes, type RestRoute } from "./routes/index.ts";
