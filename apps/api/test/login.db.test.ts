// The login flow as an operator and a user go through it (§5.4, §6): `portal login-code` prints a
// code, the user verifies it over HTTP, and the cookie it gets works — with and without a server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseEnv } from "../../../test/support/database.ts";
import { parseSetCookie, request } from "../../../test/support/http.ts";
import { runPortal, startServerProcess, type ServerProcess } from "../../../test/support/processes.ts";

let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ env, cleanup } = await testDatabaseEnv());
  env = { ...env, LOG_LEVEL: "info" };
  expect((await runPortal(["user", "create", "--username", "login_user"], env)).code).toBe(0);
  expect((await runPortal(["user", "create", "--username", "busy_user"], env)).code).toBe(0);
});
afterAll(() => cleanup?.());

const portal = (...args: string[]) => runPortal(args, env);
const CODE_LINE = /^[A-Za-z0-9]{8}\n$/;

describe("portal login-code without a server", () => {
  it("prints a new code alone on stdout and says what it is on stderr", async () => {
    const result = await portal("login-code", "--username", "login_user");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(CODE_LINE);
    expect(result.stderr).toMatch(/login code for login_user, single use, valid until \d{4}-\d\d-\d\dT/);
  });

  // six command-line processes in a row: longer than the default timeout on a busy machine
  it("refuses a 6th pending code with exit 1, a clear message and nothing on stdout", { timeout: 120_000 }, async () => {
    for (let i = 0; i < 5; i += 1) expect((await portal("login-code", "--username", "busy_user")).code).toBe(0);
    const sixth = await portal("login-code", "--username", "busy_user");
    expect(sixth).toMatchObject({ code: 1, stdout: "" });
    expect(sixth.stderr).toMatch(/User 'busy_user' already has 5 pending login codes; use one or wait until one expires/);
  });

  it.each([
    [["login-code", "--username", "ghost"], /User 'ghost' not found/],
    [["login-code"], /--username/],
    [["login-code", "--username", "login_user", "--level", "owner"], /Unknown option --level/],
  ])("refuses %j with exit 1", async (args, message) => {
    const result = await portal(...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });
});

describe("the login flow against the server process", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess(env);
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  it("turns a code from the command line into a session cookie that works on /v1/users/me", async () => {
    const issued = await portal("login-code", "--username", "login_user");
    expect(issued.stdout).toMatch(CODE_LINE);
    const code = issued.stdout.trim();

    const verified = await request(`${server.url}/v1/authentication/verify`, { body: { code }, headers: { "user-agent": "login-flow-test" } });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ user_created: false, username: "login_user", permission_level: 0 });
    const cookie = parseSetCookie(verified.headers.get("set-cookie"))!;
    expect(cookie.name).toBe("psession");

    const me = await request(`${server.url}/v1/users/me`, { token: cookie.value });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: "login_user" });
    const sessions = await request(`${server.url}/v1/users/me/sessions`, { token: cookie.value });
    expect(sessions.body).toMatchObject({ sessions: [{ token_suffix: cookie.value.slice(-8), user_agent: "login-flow-test", client_ip: "127.0.0.1", is_current: true }] });

    // single use, also through the server
    const again = await request(`${server.url}/v1/authentication/verify`, { body: { code } });
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ detail: "Invalid or expired code" });
  });
});
