// The authorization table: every REST route of the contract, over real HTTP through the real app,
// called by every kind of caller, compared with the statuses the contract gives them (§2, §5.2,
// §5.3, §5.4, §5.5). The expected tables below are written out by hand from the contract text, one
// row per route and chat kind, so a reader can check them against it line by line; where the
// contract is silent and the implementation decided, the row says so in a comment.
//
// The chats and their owners (the hierarchy is checked against the chat's owner, so it matters):
//   official — owned by a platform Owner (only Owners create official chats by default). It tests
//              the "both are Owner" clause of can_act_on: the Owner caller may act, an Admin may not.
//   public   — owned by a premium Moderator (a premium user's private chat made public by a slug).
//              It tests "strictly greater": an Admin may act on a Moderator, a Moderator may not.
//              An Admin-owned public chat would only repeat the official chat's row.
//   private  — owned by a premium User (a portal create). Every Moderator+ can act on a User, so
//              each refusal on this chat comes from the private-chat rule, not from the hierarchy.
//
// The browser backend is unreachable on purpose (DOCKER_HOST is a socket that does not exist):
// an AUTHORIZED start or stop answers 503 "Browser backend unavailable", which is the expected
// cell for allowed callers, while unauthorized callers are refused with 401/403/404 before any
// engine call. Deleting a chat still works with the engine down (its container is removed later).
import { createSession, loadConfig } from "@portal/server";
import { beforeAll, describe, expect, it } from "vitest";
import { issueLoginCode } from "../../../packages/server/src/services/login-codes.ts";
import { generateInviteCode } from "../../../packages/server/src/services/invites.ts";
import { createTestUser, testConfig, type TestUser } from "../../../test/support/fixtures.ts";
import { request, type JsonResponse } from "../../../test/support/http.ts";
import { useTestApp } from "../../../test/support/suite.ts";

const KINDS = ["official", "public", "private"] as const;
type Kind = (typeof KINDS)[number];

/** The callers of the chat table, in the order of its columns. */
const ACTORS = [
  "owner", //      a platform Owner who neither owns nor belongs to the chat
  "admin", //      an Admin, likewise
  "moderator", //  a Moderator, likewise
  "user", //       a plain User (basic tier), likewise
  "premium", //    a premium User, likewise
  "member", //     a plain User who is a member of the chat
  "nonMember", //  a plain User who is not a member
  "anonymous", //  no psession cookie
  "chatOwner", //  the chat's own owner (see above: an Owner, a premium Moderator, a premium User)
] as const;
type Actor = (typeof ACTORS)[number];
type Row = readonly [owner: number, admin: number, moderator: number, user: number, premium: number, member: number, nonMember: number, anonymous: number, chatOwner: number];

// prettier-ignore
const EXPECTED_CHAT_TABLE = {
  // §5.2: Admin+, hierarchy checked against the chat owner (can_act_on, §2)
  //                                                      owner admin  mod user prem memb nonm anon chOwn
  "GET /v1/admin/chats/{chat_id}": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  403],
    private:                                            [  200,  200, 403, 403, 403, 403, 403, 401,  403],
  },
  // body {}: no field to change, so the shared chats stay as they are
  "POST /v1/admin/chats/{chat_id}/update": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  403],
    private:                                            [  200,  200, 403, 403, 403, 403, 403, 401,  403],
  },
  // a fresh chat per cell
  "POST /v1/admin/chats/{chat_id}/delete": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  403],
    private:                                            [  200,  200, 403, 403, 403, 403, 403, 401,  403],
  },
  // 503: allowed, and the engine is unreachable
  "POST /v1/admin/chats/{chat_id}/start": {
    official:                                           [  503,  403, 403, 403, 403, 403, 403, 401,  503],
    public:                                             [  503,  503, 403, 403, 403, 403, 403, 401,  403],
    private:                                            [  503,  503, 403, 403, 403, 403, 403, 401,  403],
  },
  "POST /v1/admin/chats/{chat_id}/stop": {
    official:                                           [  503,  403, 403, 403, 403, 403, 403, 401,  503],
    public:                                             [  503,  503, 403, 403, 403, 403, 403, 401,  403],
    private:                                            [  503,  503, 403, 403, 403, 403, 403, 401,  403],
  },
  // user_id: a plain-User member, re-added before each cell; every caller allowed here can act on them
  "POST /v1/admin/chats/{chat_id}/kick": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  403],
    private:                                            [  200,  200, 403, 403, 403, 403, 403, 401,  403],
  },

  // §5.3: anyone who may see the chat (official/public: anyone, no session needed)
  "GET /v1/portal/chats/{chat_id}/status": {
    official:                                           [  200,  200, 200, 200, 200, 200, 200, 200,  200],
    public:                                             [  200,  200, 200, 200, 200, 200, 200, 200,  200],
    // implementation: a private chat the caller may not see is unknown to them (404), anonymous too
    private:                                            [  404,  404, 404, 404, 404, 200, 404, 404,  200],
  },
  // §5.3: chat owner or platform Owner; 503: allowed, and the engine is unreachable
  "POST /v1/portal/chats/{chat_id}/start": {
    official:                                           [  503,  403, 403, 403, 403, 403, 403, 401,  503],
    public:                                             [  503,  403, 403, 403, 403, 403, 403, 401,  503],
    // the platform Owner too (§5.3 makes no exception for private chats); implementation: refused
    // callers who cannot see the private chat get 404, the member who can 403
    private:                                            [  503,  404, 404, 404, 404, 403, 404, 401,  503],
  },
  "POST /v1/portal/chats/{chat_id}/stop": {
    official:                                           [  503,  403, 403, 403, 403, 403, 403, 401,  503],
    public:                                             [  503,  403, 403, 403, 403, 403, 403, 401,  503],
    // the platform Owner too (§5.3 makes no exception for private chats); implementation: refused
    // callers who cannot see the private chat get 404, the member who can 403
    private:                                            [  503,  404, 404, 404, 404, 403, 404, 401,  503],
  },
  // §5.3: chat owner or platform Owner (private chats: also Admin+); a fresh chat per cell
  "POST /v1/portal/chats/{chat_id}/delete": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    // callers refused who cannot see the private chat get 404, like the other portal routes; the member 403
    private:                                            [  200,  200, 404, 404, 404, 403, 404, 401,  200],
  },
  // §5.3 and §2 can_manage_chat: the owner; official/public also whoever can act on the owner;
  // private: only the owner for config and invites
  "GET /v1/portal/chats/{chat_id}/config": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  200],
    // implementation: refused callers who cannot see the private chat get 404, the member who can 403
    private:                                            [  404,  404, 404, 404, 404, 403, 404, 401,  200],
  },
  // body {}: no field to change, so the shared chats stay as they are
  "POST /v1/portal/chats/{chat_id}/config/update": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  200],
    // implementation: refused callers who cannot see the private chat get 404, the member who can 403
    private:                                            [  404,  404, 404, 404, 404, 403, 404, 401,  200],
  },
  // body {}: an invite without expiry or use limit; at most 3 per chat here, far below the 20 cap
  "POST /v1/portal/chats/{chat_id}/invites": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  200],
    // implementation: refused callers who cannot see the private chat get 404, the member who can 403
    private:                                            [  404,  404, 404, 404, 404, 403, 404, 401,  200],
  },
  "GET /v1/portal/chats/{chat_id}/invites": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  200],
    // implementation: refused callers who cannot see the private chat get 404, the member who can 403
    private:                                            [  404,  404, 404, 404, 404, 403, 404, 401,  200],
  },
  // code: a fresh invite of the chat per cell
  "POST /v1/portal/chats/{chat_id}/invites/{code}/delete": {
    official:                                           [  200,  403, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  200],
    // implementation: refused callers who cannot see the private chat get 404, the member who can 403
    private:                                            [  404,  404, 404, 404, 404, 403, 404, 401,  200],
  },
  // §5.3: the owner; official/public also whoever can act on the owner; Admin+ on any chat.
  // user_id: a plain-User member, re-added before each cell
  "POST /v1/portal/chats/{chat_id}/kick": {
    official:                                           [  200,  200, 403, 403, 403, 403, 403, 401,  200],
    public:                                             [  200,  200, 403, 403, 403, 403, 403, 401,  200],
    // implementation: refused callers who cannot see the private chat get 404, the member who can 403
    private:                                            [  200,  200, 404, 404, 404, 403, 404, 401,  200],
  },
  // §5.3: signed-in; a fresh chat and invite per cell (a join changes who may see a private chat).
  // The owner and members are answered without joining again.
  "POST /v1/portal/resolve/{code}": {
    official:                                           [  200,  200, 200, 200, 200, 200, 200, 401,  200],
    public:                                             [  200,  200, 200, 200, 200, 200, 200, 401,  200],
    private:                                            [  200,  200, 200, 200, 200, 200, 200, 401,  200],
  },
} as const satisfies Record<string, Record<Kind, Row>>;
type ChatRoute = keyof typeof EXPECTED_CHAT_TABLE;

/** The callers of the table of routes without a chat: the same, less the chat's owner. */
const PLAIN_ACTORS = ACTORS.filter((actor): actor is Exclude<Actor, "chatOwner"> => actor !== "chatOwner");
type PlainRow = readonly [owner: number, admin: number, moderator: number, user: number, premium: number, member: number, nonMember: number, anonymous: number];

// prettier-ignore
const EXPECTED_PLAIN_TABLE = {
  //                                                              owner admin  mod user prem memb nonm anon
  // §5.1: Owner (the default PORTAL_OFFICIAL_CHAT_MIN_LEVEL)
  "POST /v1/admin/chats":                                       [  200,  403, 403, 403, 403, 403, 403, 401],
  // §5.2: Admin+
  "GET /v1/admin/chats":                                        [  200,  200, 403, 403, 403, 403, 403, 401],
  // §5.3: premium or Admin+, with a free slot
  "POST /v1/portal/chats":                                      [  200,  200, 403, 403, 200, 403, 403, 401],
  // §5.3: signed-in
  "GET /v1/portal/chats":                                       [  200,  200, 200, 200, 200, 200, 200, 401],
  // §5.3: anyone, no session needed
  "GET /v1/portal/directory":                                   [  200,  200, 200, 200, 200, 200, 200, 200],
  // §5.4: no session needed; a valid code of the caller's own account (anonymous: of another account)
  "POST /v1/authentication/verify":                             [  200,  200, 200, 200, 200, 200, 200, 200],
  // §5.4 revokes "the session", so one is needed (§1: 401 without); sent with a second session of the caller
  "POST /v1/authentication/logout":                             [  200,  200, 200, 200, 200, 200, 200, 401],
  "GET /v1/users/me":                                           [  200,  200, 200, 200, 200, 200, 200, 401],
  "GET /v1/users/me/sessions":                                  [  200,  200, 200, 200, 200, 200, 200, 401],
  // another live session of the caller's own
  "POST /v1/users/me/sessions/{own token_suffix}/destroy":      [  200,  200, 200, 200, 200, 200, 200, 401],
  // §5.4 "404 none": another user's session is none of the caller's, whatever the caller's level
  "POST /v1/users/me/sessions/{other's token_suffix}/destroy":  [  404,  404, 404, 404, 404, 404, 404, 401],
  // §5.5: no auth; "degraded" with the engine down is still 200
  "GET /v1/health":                                             [  200,  200, 200, 200, 200, 200, 200, 200],
} as const satisfies Record<string, PlainRow>;
type PlainRoute = keyof typeof EXPECTED_PLAIN_TABLE;

/** The bodies that go with the statuses: a 403 from an authorization rule, never e.g. the cross-site check. */
const REFUSALS = new Set([
  "Owner permission required",
  "Admin permission required",
  "Premium subscription required",
  "Not allowed to manage this chat",
  "Not allowed to kick this user",
]);
const EXPECTED_DETAIL: Record<number, (detail: unknown) => boolean> = {
  401: (detail) => detail === "Not authenticated",
  403: (detail) => typeof detail === "string" && REFUSALS.has(detail),
  404: (detail) => detail === "Chat not found" || detail === "Session not found",
  503: (detail) => detail === "Browser backend unavailable",
};

const noEngine = loadConfig({ DOCKER_HOST: "unix:///tmp/portal-no-engine.sock", LOG_LEVEL: "silent" });
const suite = useTestApp(testConfig({ browserVms: noEngine.browserVms }));
const actors = {} as Record<Exclude<Actor, "anonymous" | "chatOwner">, TestUser>;
const chatOwners = {} as Record<Kind, TestUser>;
/** The chats of the rows whose cells change nothing they depend on, one per kind. */
const sharedChats = {} as Record<Kind, { id: number }>;
let kickTarget: TestUser;
let bystander: TestUser;
let counter = 0;

beforeAll(async () => {
  const user = (options: Parameters<typeof createTestUser>[1]) => createTestUser(suite.db.prisma, options);
  actors.owner = await user({ level: "owner" });
  actors.admin = await user({ level: "admin" });
  actors.moderator = await user({ level: "moderator" });
  actors.user = await user({});
  actors.premium = await user({ tier: "premium" });
  actors.member = await user({});
  actors.nonMember = await user({});
  chatOwners.official = await user({ level: "owner" });
  chatOwners.public = await user({ level: "moderator", tier: "premium" });
  chatOwners.private = await user({ tier: "premium" });
  kickTarget = await user({});
  bystander = await user({});
  for (const kind of KINDS) sharedChats[kind] = await newChat(kind);
});

/** A chat of `kind` owned by that kind's owner, with the member actor in it. */
async function newChat(kind: Kind): Promise<{ id: number }> {
  counter += 1;
  const chat = await suite.db.prisma.chat.create({
    data: { ownerId: chatOwners[kind].id, name: `${kind} chat ${counter}`, visibility: kind, slug: kind === "private" ? null : `authz-${kind}-${counter}` },
    select: { id: true },
  });
  await suite.db.prisma.chatMember.create({ data: { chatId: chat.id, userId: actors.member.id } });
  return chat;
}

async function newInvite(chat: { id: number }, kind: Kind): Promise<string> {
  const invite = await suite.db.prisma.invite.create({ data: { code: generateInviteCode(), chatId: chat.id, createdById: chatOwners[kind].id } });
  return invite.code;
}

const ensureKickTarget = (chat: { id: number }) => suite.db.prisma.chatMember.createMany({ data: [{ chatId: chat.id, userId: kickTarget.id }], skipDuplicates: true });

const get = (path: string, caller: TestUser | null) => request(`${suite.app.url}${path}`, { token: caller?.token });
const post = (path: string, caller: TestUser | null, body?: unknown) => request(`${suite.app.url}${path}`, { method: "POST", token: caller?.token, body });

type Cell = (kind: Kind, caller: TestUser | null) => Promise<JsonResponse>;

/** How each row's cell is called: the HTTP path of the row, with the per-cell fixture it needs. */
const CHAT_CELLS: Record<ChatRoute, Cell> = {
  "GET /v1/admin/chats/{chat_id}": (kind, caller) => get(`/v1/admin/chats/${sharedChats[kind].id}`, caller),
  "POST /v1/admin/chats/{chat_id}/update": (kind, caller) => post(`/v1/admin/chats/${sharedChats[kind].id}/update`, caller, {}),
  "POST /v1/admin/chats/{chat_id}/delete": async (kind, caller) => post(`/v1/admin/chats/${(await newChat(kind)).id}/delete`, caller),
  "POST /v1/admin/chats/{chat_id}/start": (kind, caller) => post(`/v1/admin/chats/${sharedChats[kind].id}/start`, caller),
  "POST /v1/admin/chats/{chat_id}/stop": (kind, caller) => post(`/v1/admin/chats/${sharedChats[kind].id}/stop`, caller),
  "POST /v1/admin/chats/{chat_id}/kick": async (kind, caller) => {
    await ensureKickTarget(sharedChats[kind]);
    return post(`/v1/admin/chats/${sharedChats[kind].id}/kick`, caller, { user_id: kickTarget.id });
  },
  "GET /v1/portal/chats/{chat_id}/status": (kind, caller) => get(`/v1/portal/chats/${sharedChats[kind].id}/status`, caller),
  "POST /v1/portal/chats/{chat_id}/start": (kind, caller) => post(`/v1/portal/chats/${sharedChats[kind].id}/start`, caller),
  "POST /v1/portal/chats/{chat_id}/stop": (kind, caller) => post(`/v1/portal/chats/${sharedChats[kind].id}/stop`, caller),
  "POST /v1/portal/chats/{chat_id}/delete": async (kind, caller) => post(`/v1/portal/chats/${(await newChat(kind)).id}/delete`, caller),
  "GET /v1/portal/chats/{chat_id}/config": (kind, caller) => get(`/v1/portal/chats/${sharedChats[kind].id}/config`, caller),
  "POST /v1/portal/chats/{chat_id}/config/update": (kind, caller) => post(`/v1/portal/chats/${sharedChats[kind].id}/config/update`, caller, {}),
  "POST /v1/portal/chats/{chat_id}/invites": (kind, caller) => post(`/v1/portal/chats/${sharedChats[kind].id}/invites`, caller, {}),
  "GET /v1/portal/chats/{chat_id}/invites": (kind, caller) => get(`/v1/portal/chats/${sharedChats[kind].id}/invites`, caller),
  "POST /v1/portal/chats/{chat_id}/invites/{code}/delete": async (kind, caller) => {
    const code = await newInvite(sharedChats[kind], kind);
    return post(`/v1/portal/chats/${sharedChats[kind].id}/invites/${code}/delete`, caller);
  },
  "POST /v1/portal/chats/{chat_id}/kick": async (kind, caller) => {
    await ensureKickTarget(sharedChats[kind]);
    return post(`/v1/portal/chats/${sharedChats[kind].id}/kick`, caller, { user_id: kickTarget.id });
  },
  "POST /v1/portal/resolve/{code}": async (kind, caller) => post(`/v1/portal/resolve/${await newInvite(await newChat(kind), kind)}`, caller),
};

/** A second live session of the caller's, for the calls that end one. */
async function extraSession(caller: TestUser): Promise<{ token: string; suffix: string }> {
  const { token } = await createSession(suite.db.prisma, caller.session.user, {}, new Date());
  return { token, suffix: token.slice(-8) };
}

type PlainCell = (caller: TestUser | null) => Promise<JsonResponse>;

const PLAIN_CELLS: Record<PlainRoute, PlainCell> = {
  "POST /v1/admin/chats": (caller) => post("/v1/admin/chats", caller, { name: "Official", slug: `authz-official-new-${++counter}` }),
  "GET /v1/admin/chats": (caller) => get("/v1/admin/chats", caller),
  "POST /v1/portal/chats": (caller) => post("/v1/portal/chats", caller, { name: "Private" }),
  "GET /v1/portal/chats": (caller) => get("/v1/portal/chats", caller),
  "GET /v1/portal/directory": (caller) => get("/v1/portal/directory", caller),
  "POST /v1/authentication/verify": async (caller) => {
    const { code } = await issueLoginCode(suite.db.prisma, caller?.session.user ?? bystander.session.user, new Date());
    return post("/v1/authentication/verify", caller, { code });
  },
  "POST /v1/authentication/logout": async (caller) => post("/v1/authentication/logout", caller && { ...caller, token: (await extraSession(caller)).token }),
  "GET /v1/users/me": (caller) => get("/v1/users/me", caller),
  "GET /v1/users/me/sessions": (caller) => get("/v1/users/me/sessions", caller),
  "POST /v1/users/me/sessions/{own token_suffix}/destroy": async (caller) =>
    post(`/v1/users/me/sessions/${(await extraSession(caller ?? bystander)).suffix}/destroy`, caller),
  "POST /v1/users/me/sessions/{other's token_suffix}/destroy": async (caller) =>
    post(`/v1/users/me/sessions/${(await extraSession(bystander)).suffix}/destroy`, caller),
  "GET /v1/health": (caller) => get("/v1/health", caller),
};

function callerOf(actor: Actor, kind: Kind): TestUser | null {
  if (actor === "anonymous") return null;
  return actor === "chatOwner" ? chatOwners[kind] : actors[actor];
}

/** The status of a response, or the status with its body when the body is not the one that goes with it. */
function observe(response: JsonResponse): number | string {
  const check = EXPECTED_DETAIL[response.status];
  if (response.status === 200 || (check && check((response.body as { detail?: unknown } | undefined)?.detail))) return response.status;
  return `${response.status} ${response.text}`;
}

describe("the authorization table", () => {
  it("answers every chat route, on every kind of chat, to every caller as the contract says", async () => {
    const expected: Record<string, number | string> = {};
    const observed: Record<string, number | string> = {};
    for (const [route, rows] of Object.entries(EXPECTED_CHAT_TABLE) as [ChatRoute, Record<Kind, Row>][]) {
      for (const kind of KINDS) {
        for (const [column, actor] of ACTORS.entries()) {
          const key = `${route} | ${kind} chat | ${actor}`;
          expected[key] = rows[kind][column]!;
          observed[key] = observe(await CHAT_CELLS[route](kind, callerOf(actor, kind)));
        }
      }
    }
    expect(observed).toEqual(expected);
  });

  it("answers every route without a chat to every caller as the contract says", async () => {
    const expected: Record<string, number | string> = {};
    const observed: Record<string, number | string> = {};
    for (const [route, row] of Object.entries(EXPECTED_PLAIN_TABLE) as [PlainRoute, PlainRow][]) {
      for (const [column, actor] of PLAIN_ACTORS.entries()) {
        const key = `${route} | ${actor}`;
        expected[key] = row[column]!;
        observed[key] = observe(await PLAIN_CELLS[route](callerOf(actor, "official")));
      }
    }
    expect(observed).toEqual(expected);
  });
});
