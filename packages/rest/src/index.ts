export { createRestRouter, MAX_BODY_BYTES, type RestAdapterOptions } from "./router.ts";
export { HttpError, toErrorResponse, type ErrorBody, type ErrorResponse } from "./errors.ts";
export { routes, type RestRoute } from "./routes/index.ts";
export { createOpenApiDocument, createOpenApiRouter, openApiPath, type OpenApiDocument, type OpenApiOperation } from "./openapi.ts";
export { documentedStatuses, type DocumentedStatus } from "./statuses.ts";
export type { ProcedurePath } from "./procedures.ts";
