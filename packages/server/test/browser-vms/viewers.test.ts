// viewer_count from neko v3's GET /api/sessions, asked with the chat's token as Bearer (a local
// HTTP server on 127.0.0.1 stands in for neko).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { countConnectedSessions, fetchViewerCount } from "../../src/browser-vms/docker/viewers.ts";
import { nekoAnswersHealth } from "../../src/browser-vms/docker/readiness.ts";

const session = (id: string, connected: boolean) => ({ id, profile: { name: id }, state: { is_connected: connected, is_watching: connected } });

describe("countConnectedSessions", () => {
  test("counts sessions whose state.is_connected is true", () => {
    expect(countConnectedSessions([])).toBe(0);
    expect(countConnectedSessions([session("a", true), session("b", false), session("c", true)])).toBe(2);
    expect(countConnectedSessions([{ id: "x" }, null, session("d", true)])).toBe(1);
  });

  test("anything but a list is an error", () => {
    expect(() => countConnectedSessions({ sessions: [] })).toThrow(TypeError);
  });
});

describe("fetchViewerCount", () => {
  let server: Server;
  let base: string;
  const seen: Array<string | undefined> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === "/health") return res.end("ok");
      if (req.url !== "/api/sessions") return res.writeHead(404).end();
      if (req.headers.authorization !== "Bearer right-token") return res.writeHead(401).end('{"message":"invalid token"}');
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify([session("a", true), session("b", true), session("c", false)]));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("sends the token as Bearer and counts connected sessions", async () => {
    expect(await fetchViewerCount(base, "right-token")).toBe(2);
    expect(seen.at(-1)).toBe("Bearer right-token");
  });

  test("a rejected token is an error, not a count", async () => {
    await expect(fetchViewerCount(base, "wrong-token")).rejects.toThrow("HTTP 401");
  });

  test("nobody listening is an error", async () => {
    await expect(fetchViewerCount("http://127.0.0.1:1", "t", 500)).rejects.toThrow();
  });

  test("health probe", async () => {
    expect(await nekoAnswersHealth(base)).toBe(true);
    expect(await nekoAnswersHealth("http://127.0.0.1:1")).toBe(false);
  });
});
