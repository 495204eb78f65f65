// The operator command line (§6) and the server process, run as an operator runs them: user and
// session commands with and without the server, bad arguments, configuration errors, shutdown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseEnv } from "../../../test/support/database.ts";
import { request } from "../../../test/support/http.ts";
import { runPortal, startServerProcess, type ServerProcess } from "../../../test/support/processes.ts";

let env: Record<string, string>;
let cleanup: () => Promise<void>;
const embedded = () => Boolean(env.PORTAL_DATA_DIR);

beforeAll(async () => {
  ({ env, cleanup } = await testDatabaseEnv());
  env = { ...env, LOG_LEVEL: "info" };
});
afterAll(() => cleanup?.());

const portal = (...args: string[]) => runPortal(args, env);
const lastLine = (text: string) => text.trimEnd().split("\n").at(-1);

describe("the command line without a server", () => {
  it("creates a user, changes it, and creates a session whose token is the last line of stdout", async () => {
    const created = await portal("user", "create", "--username", "owner_user", "--level", "owner");
    expect(created).toMatchObject({ code: 0, stderr: "" });
    expect(created.stdout).toContain("created user owner_user");

    const changed = await portal("user", "set", "--username", "owner_user", "--tier", "premium", "--slots", "7");
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/level owner, tier premium, slots 7/);

    const session = await portal("session", "create", "--username", "owner_user");
    expect(session.code).toBe(0);
    expect(lastLine(session.stdout)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.stdout.trim().split("\n")).toHaveLength(1);
  });

  // Every usage rule is unit-tested on parseCommand (cli-commands.test.ts); these show the process
  // side: message on stderr, exit status 1, nothing on stdout, nothing written.
  it.each([
    [["user", "create", "--username", "newbie", "--level", "boss"], /--level/],
    [["user", "create", "--username", "newbie", "--color", "red"], /Unknown option --color/],
    [["user", "set", "--username", "ghost", "--level", "admin"], /User 'ghost' not found/],
    [["user", "create", "--username", "owner_user"], /User 'owner_user' already exists/],
    [["session", "create", "--username", "ghost"], /User 'ghost' not found/],
  ])("refuses %j with a clear message and exit 1", async (args, message) => {
    const result = await portal(...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });

  it("wrote nothing for the refused commands", async () => {
    expect((await portal("user", "set", "--username", "newbie", "--level", "user")).stderr).toMatch(/User 'newbie' not found/);
  });

  it("applies migrations idempotently with db migrate", async () => {
    const result = await portal("db", "migrate");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/no pending migrations/);
  });
});

describe("the server process", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess(env);
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  });

  it("serves a session the command line creates while it runs", async () => {
    const session = await portal("session", "create", "--username", "owner_user");
    expect(session.code).toBe(0);
    const token = lastLine(session.stdout)!;
    const response = await request(`${server.url}/v1/admin/chats`, { token, body: { name: "General", slug: "general", description: "Official general chat" } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ chat_name: "General", username: "owner_user", visibility: "official" });
  });

  it("lets the command line change users while it runs, and uses the change at once", async () => {
    expect((await portal("user", "create", "--username", "late_admin", "--level", "admin")).code).toBe(0);
    const token = lastLine((await portal("session", "create", "--username", "late_admin")).stdout)!;
    expect((await request(`${server.url}/v1/admin/chats`, { token, body: { name: "Nope", slug: "nope" } })).status).toBe(403);
    expect((await portal("user", "set", "--username", "late_admin", "--level", "owner")).code).toBe(0);
    expect((await request(`${server.url}/v1/admin/chats`, { token, body: { name: "Now", slug: "now-allowed" } })).status).toBe(200);
  });

  it("refuses a second server on the same embedded data folder, saying what to do", async () => {
    if (!embedded()) return void expect(env.DATABASE_URL).toMatch(/^postgres/);
    const second = await startServerProcess(env, 15_000).then(
      () => expect.unreachable("a second server must not open the embedded database"),
      (error: Error) => error.message,
    );
    expect(second).toMatch(/in use by the Portal server \(pid \d+/);
    expect(second).toMatch(/Stop that process first/);
  });

  it("stops on SIGTERM after finishing what is in flight, closes the database and exits 0", async () => {
    const inFlight = Promise.all(
      Array.from({ length: 5 }, () => request(`${server.url}/v1/nothing`)),
    );
    server.child.kill("SIGTERM");
    const responses = await inFlight.catch(() => []);
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/"msg":"stopped"/);
    for (const response of responses) expect(response.status).toBe(404);
    // The database is free again: the command line opens it directly.
    expect((await portal("user", "set", "--username", "owner_user", "--tier", "lifetime")).code).toBe(0);
  });
});

describe("configuration errors", () => {
  it.each([
    [{ PORT: "eighty" }, /PORT/],
    [{ PORT: "70000" }, /PORT/],
    [{ PORTAL_OFFICIAL_CHAT_MIN_LEVEL: "root" }, /PORTAL_OFFICIAL_CHAT_MIN_LEVEL/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL/],
    [{ PORTAL_BROWSER_IMAGES: "{not json" }, /PORTAL_BROWSER_IMAGES/],
    [{ PORTAL_DEFAULT_BROWSER: "netscape" }, /PORTAL_DEFAULT_BROWSER/],
  ])("stops the start for %j naming the variable", async (bad, message) => {
    const error = await startServerProcess({ ...env, ...bad }, 15_000).then(
      () => expect.unreachable("the server must not start"),
      (caught: Error) => caught.message,
    );
    expect(error).toMatch(/exited with 1/);
    expect(error).toMatch(message);
  });
});
