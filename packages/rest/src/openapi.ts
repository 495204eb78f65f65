// GET /v1/openapi.json: the OpenAPI 3.1 document of every REST route, generated from the zod
// schemas of the procedures the routes call and the statuses statuses.ts derives for them.
import { SESSION_COOKIE, type PortalConfig } from "@portal/server";
import express from "express";
import { z } from "zod";
import { errorBody, validationErrorBody } from "./errors.ts";
import { procedureSchemas } from "./procedures.ts";
import { routes as defaultRoutes, type RestRoute } from "./routes/index.ts";
import { documentedStatuses, pathParams, type DocumentedStatus } from "./statuses.ts";

export type JsonSchema = z.core.JSONSchema.BaseSchema;
/** A property's schema: JSON Schema also allows `true` and `false` there. */
type PropertySchema = z.core.JSONSchema._JSONSchema;

/** The parts of an OpenAPI 3.1 document this module writes. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Partial<Record<RestRoute["method"], OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    headers: Record<string, { description: string; schema: JsonSchema }>;
    securitySchemes: Record<string, { type: "apiKey"; in: "cookie"; name: string; description: string }>;
  };
}

export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: "path" | "query"; required: boolean; schema: PropertySchema }[];
  requestBody?: { required: boolean; content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, { description: string; headers?: Record<string, { $ref: string }>; content: { "application/json": { schema: JsonSchema } } }>;
}

/** What of the running configuration the document shows: the browsers `browser_config` accepts (§4). */
export type OpenApiConfig = Pick<PortalConfig, "browsers">;

const SESSION_SCHEME = "psession";
const schemaRef = (name: "Error" | "ValidationError"): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** `/admin/chats/:chat_id/start` → `/admin/chats/{chat_id}/start` */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, "{$1}");
}

/**
 * A procedure's schema as JSON Schema 2020-12, the dialect of OpenAPI 3.1. Inputs show what a
 * client sends (before defaults and transforms), outputs what it gets back.
 */
function toJsonSchema(schema: z.ZodType, io: "input" | "output", config: OpenApiConfig): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    override: ({ zodSchema, jsonSchema, path }) => {
      // §4: the static input schema only knows `browser` as a short name; configuredInput checks
      // it against the configured browsers, which the document lists.
      if (io === "input" && zodSchema._zod.def.type === "string" && path.slice(-3).join(".") === "browser_config.properties.browser") {
        delete jsonSchema.minLength;
        delete jsonSchema.maxLength;
        jsonSchema.enum = [...config.browsers];
      }
    },
  });
  // A $defs entry ("#/$defs/...") would not resolve inside an OpenAPI document.
  if (json.$defs) throw new Error("Schemas with an id or a cycle need components in the OpenAPI document");
  return json;
}

/** The input schema without the fields named in `names`: what is left for the body or the query. */
function without(schema: JsonSchema, names: readonly string[]): JsonSchema {
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([name]) => !names.includes(name)));
  const required = (schema.required ?? []).filter((name) => !names.includes(name));
  const { required: _, ...rest } = schema;
  return { ...rest, properties, ...(required.length > 0 ? { required } : {}) };
}

function operation(route: RestRoute, config: OpenApiConfig): OpenApiOperation {
  const schemas = procedureSchemas(route.procedure);
  const input = schemas.input && toJsonSchema(schemas.input, "input", config);
  const result = toJsonSchema(schemas.output, "output", config);

  const params = pathParams(route.path);
  const parameters: NonNullable<OpenApiOperation["parameters"]> = params.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: input?.properties?.[name] ?? { type: "string" },
  }));
  const rest = input ? without(input, params) : {};
  const restNames = Object.keys(rest.properties ?? {});
  // A field the route never reads from the request would be documented but ignored.
  if (restNames.length > 0 && !route.input) throw new Error(`${route.procedure}: the route reads only its path, but the procedure takes ${restNames.join(", ")}`);
  // The other fields come in the JSON body of a POST, in the query of a GET.
  const requestBody: OpenApiOperation["requestBody"] =
    route.method === "post" && restNames.length > 0
      ? { required: (rest.required ?? []).length > 0, content: { "application/json": { schema: rest } } }
      : undefined;
  if (route.method === "get") {
    for (const name of restNames) parameters.push({ name, in: "query", required: rest.required?.includes(name) ?? false, schema: rest.properties![name]! });
  }

  const bodyOf = ({ body }: DocumentedStatus): JsonSchema =>
    body === "result" ? result : body === "validation" ? schemaRef("ValidationError") : schemaRef("Error");
  const responses = Object.fromEntries(
    documentedStatuses(route).map((status) => [
      String(status.status),
      {
        description: status.reasons.join(". "),
        ...(status.status === 429 ? { headers: { "Retry-After": { $ref: "#/components/headers/Retry-After" } } } : {}),
        content: { "application/json": { schema: bodyOf(status) } },
      },
    ]),
  );

  return {
    operationId: route.procedure,
    tags: [route.path.split("/")[1]!],
    // An optional session still counts: it decides what a private chat shows and whose rate limit applies.
    security: route.session === "required" ? [{ [SESSION_SCHEME]: [] }] : [{}, { [SESSION_SCHEME]: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** The document for one configuration. Every route of the table, by its path in `{param}` form. */
export function createOpenApiDocument(config: OpenApiConfig, routes: readonly RestRoute[] = defaultRoutes): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const route of routes) (paths[openApiPath(route.path)] ??= {})[route.method] = operation(route, config);
  return {
    openapi: "3.1.0",
    info: {
      title: "Portal chats API",
      version: "1",
      description:
        'JSON with snake_case fields; every error answers {"detail": string}, validation (422) one ' +
        '{"loc", "msg", "type"} entry per invalid field. Every route is also a tRPC procedure: the operationId.',
    },
    servers: [{ url: "/v1" }],
    paths,
    components: {
      schemas: { Error: toJsonSchema(errorBody, "output", config), ValidationError: toJsonSchema(validationErrorBody, "output", config) },
      headers: { "Retry-After": { description: "Seconds until the rate limit lets the caller in again", schema: { type: "integer", minimum: 0 } } },
      securitySchemes: {
        [SESSION_SCHEME]: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "The session token: set by POST /authentication/verify, or printed by `portal session create`",
        },
      },
    },
  };
}

/**
 * Serves the document at /openapi.json: no session, no rate limit, built at the first request
 * and kept, since the configuration does not change while the app runs.
 */
export function createOpenApiRouter(config: OpenApiConfig, routes?: readonly RestRoute[]): express.Router {
  let text: string | undefined;
  const router = express.Router();
  router
    .route("/openapi.json")
    .get((_req, res) => {
      text ??= JSON.stringify(createOpenApiDocument(config, routes));
      res.type("application/json").send(text);
    })
    .all((_req, res) => {
      res.status(405).json({ detail: "Method Not Allowed" });
    });
  return router;
}
