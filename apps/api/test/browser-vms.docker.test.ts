// Chats' browser VMs through the API, on a real Docker engine with the neko stand-in image: the
// admin and portal start/stop/delete routes, live status, permissions, engine failures and the
// reconciler repairing the database. Host networking on 127.0.0.1 ports only.
import { randomBytes } from "node:crypto";
import type { Database } from "@portal/db";
import { applyReconcileReport, DockerBrowserVms, loadConfig, superviseChatBrowsers, type PortalConfig } from "@portal/server";
import { createPortalClient } from "@portal/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { nekoSession, overlappingPorts, vmContainers } from "../../../test/support/browser-vms.ts";
import { openTestDatabase } from "../../../test/support/database.ts";
import { STAND_IN_IMAGE, useTestDockerEngine } from "../../../test/support/docker.ts";
import { createTestUser, testConfig, type TestUser } from "../../../test/support/fixtures.ts";
import { request, startTestApp, type TestApp } from "../../../test/support/http.ts";

const instance = `apivm-${process.pid}-${randomBytes(3).toString("hex")}`;
const httpBase = 24000 + (process.pid % 40) * 100;

let db: Database;
let app: TestApp;
let config: PortalConfig;
let containers: ReturnType<typeof vmContainers>;
let owner: TestUser;
let admin: TestUser;
let premium: TestUser;
let stranger: TestUser;

function vmConfig(env: Record<string, string> = {}): PortalConfig {
  const base = loadConfig({
    DOCKER_HOST: dockerHost,
    PORTAL_INSTANCE: instance,
    PORTAL_VM_NETWORK_MODE: "host",
    PORTAL_VM_HTTP_PORTS: `${httpBase}-${httpBase + 99}`,
    // 6 ranges of 10: room for the 5-chat test plus one, so the 7th start finds the pool full
    PORTAL_WEBRTC_PORTS: "25000-25059",
    PORTAL_WEBRTC_PORTS_PER_CHAT: "10",
    PORTAL_VM_READY_TIMEOUT_MS: "10000",
    PORTAL_VM_STOP_TIMEOUT_S: "2",
    // `missing` can never be pulled: nothing listens on port 1 of the loopback address
    PORTAL_BROWSER_IMAGES: JSON.stringify({ firefox: STAND_IN_IMAGE, chromium: STAND_IN_IMAGE, missing: "127.0.0.1:1/portal/missing:test" }),
    ...env,
  });
  return testConfig({ browserVms: base.browserVms, browserImages: base.browserImages, browsers: base.browsers, defaultBrowser: base.defaultBrowser });
}

let dockerHost: string;
let chatCounter = 0;

async function newChat(user: TestUser = owner, visibility: "official" | "private" = "official") {
  chatCounter += 1;
  return db.prisma.chat.create({
    data: { name: `VM chat ${chatCounter}`, slug: visibility === "private" ? null : `vm-${chatCounter}`, visibility, ownerId: user.id },
  });
}

const post = (path: string, user?: TestUser, target = app) => request(`${target.url}${path}`, { method: "POST", token: user?.token });
const get = (path: string, user?: TestUser, target = app) => request(`${target.url}${path}`, { token: user?.token });

beforeAll(async () => {
  dockerHost = (await useTestDockerEngine()).host;
  config = vmConfig();
  containers = vmContainers(dockerHost, instance);
  db = await openTestDatabase();
  app = await startTestApp(db.prisma, config);
  owner = await createTestUser(db.prisma, { level: "owner" });
  admin = await createTestUser(db.prisma, { level: "admin" });
  premium = await createTestUser(db.prisma, { level: "user", tier: "premium" });
  stranger = await createTestUser(db.prisma, { level: "user" });
});
afterEach(() => containers.removeAll());
afterAll(async () => {
  await containers?.removeAll();
  await app?.close();
  await db?.close();
});

describe("health", () => {
  it("reports the real engine", async () => {
    expect(await get("/v1/health")).toMatchObject({ status: 200, body: { status: "healthy", database: true, docker: true } });
  });
});

describe("admin start and stop", () => {
  it("starts a chat's VM, reports it running, stops it, and refuses repeats with 409", async () => {
    const chat = await newChat();
    const started = await post(`/v1/admin/chats/${chat.id}/start`, owner);
    expect(started).toMatchObject({ status: 200, body: { message: `Chat '${chat.name}' started` } });
    expect((await containers.inspect(chat.id)).State.Running).toBe(true);
    expect(await db.prisma.chat.findUniqueOrThrow({ where: { id: chat.id } })).toMatchObject({ running: true });
    expect((await get(`/v1/portal/chats/${chat.id}/status`)).body).toMatchObject({ chat_id: chat.id, running: true, viewer_count: 0 });

    const again = await post(`/v1/admin/chats/${chat.id}/start`, owner);
    expect(again).toMatchObject({ status: 409, body: { detail: "Chat is already running" } });
    expect(await containers.list(chat.id)).toHaveLength(1);

    expect(await post(`/v1/admin/chats/${chat.id}/stop`, owner)).toMatchObject({ status: 200, body: { message: `Chat '${chat.name}' stopped` } });
    expect(await db.prisma.chat.findUniqueOrThrow({ where: { id: chat.id } })).toMatchObject({ running: false });
    expect((await get(`/v1/portal/chats/${chat.id}/status`)).body).toMatchObject({ running: false, viewer_count: 0 });
    expect(await post(`/v1/admin/chats/${chat.id}/stop`, owner)).toMatchObject({ status: 409, body: { detail: "Chat not found or not running" } });
  });

  it("answers 404 for unknown chats and 422 for a chat id that is not an integer", async () => {
    expect(await post("/v1/admin/chats/999999/start", owner)).toMatchObject({ status: 404, body: { detail: "Chat not found" } });
    expect(await post("/v1/admin/chats/999999/stop", owner)).toMatchObject({ status: 404, body: { detail: "Chat not found or not running" } });
    expect(await post("/v1/admin/chats/abc/start", owner)).toMatchObject({
      status: 422,
      body: { detail: [{ loc: ["path", "chat_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" }] },
    });
  });
});

describe("portal start and stop", () => {
  it("is idempotent and keeps one container", async () => {
    const chat = await newChat(premium, "private");
    expect(await post(`/v1/portal/chats/${chat.id}/start`, premium)).toMatchObject({ status: 200, body: { ok: true } });
    expect(await post(`/v1/portal/chats/${chat.id}/start`, premium)).toMatchObject({ status: 200, body: { ok: true } });
    expect((await containers.list(chat.id)).filter((info) => info.State === "running")).toHaveLength(1);
    expect(await post(`/v1/portal/chats/${chat.id}/stop`, premium)).toMatchObject({ status: 200, body: { ok: true } });
    expect(await post(`/v1/portal/chats/${chat.id}/stop`, premium)).toMatchObject({ status: 200, body: { ok: true } });
    expect((await get(`/v1/portal/chats/${chat.id}/status`, premium)).body).toMatchObject({ running: false });
  });

  it("gives 10 concurrent starts of one chat one container", async () => {
    const chat = await newChat();
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(`/v1/portal/chats/${chat.id}/start`, owner)));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(await containers.list(chat.id)).toHaveLength(1);
  });
});

describe("ports", () => {
  it("gives running chats disjoint ranges, reuses a stopped chat's range and answers 409 when the pool is full", async () => {
    const chats = await Promise.all(Array.from({ length: 6 }, () => newChat()));
    for (const chat of chats.slice(0, 5)) expect((await post(`/v1/admin/chats/${chat.id}/start`, owner)).status).toBe(200);
    expect(overlappingPorts(await containers.runningPorts())).toEqual([]);

    expect((await post(`/v1/admin/chats/${chats[0]!.id}/stop`, owner)).status).toBe(200);
    expect((await post(`/v1/admin/chats/${chats[5]!.id}/start`, owner)).status).toBe(200);
    expect(overlappingPorts(await containers.runningPorts())).toEqual([]);

    const full = await newChat();
    expect((await post(`/v1/admin/chats/${chats[0]!.id}/start`, owner)).status).toBe(200);
    const refused = await post(`/v1/admin/chats/${full.id}/start`, owner);
    expect(refused).toMatchObject({ status: 409, body: { detail: "No free WebRTC ports for another browser VM" } });
    expect(await db.prisma.chat.findUniqueOrThrow({ where: { id: full.id } })).toMatchObject({ running: false });
    expect(await containers.list(full.id)).toHaveLength(0);
  });
});

describe("viewers", () => {
  it("follows neko's connected sessions", async () => {
    const chat = await newChat();
    await post(`/v1/admin/chats/${chat.id}/start`, owner);
    await containers.serveSessions(chat.id, [nekoSession("a", true), nekoSession("b", true), nekoSession("c", false)]);
    expect((await get(`/v1/portal/chats/${chat.id}/status`)).body).toMatchObject({ running: true, viewer_count: 2 });
    await containers.serveSessions(chat.id, [nekoSession("a", true)]);
    expect((await get(`/v1/portal/chats/${chat.id}/status`)).body).toMatchObject({ viewer_count: 1 });
  });
});

describe("delete", () => {
  it.each([
    ["admin", "/v1/admin/chats/%d/delete", "deleted"],
    ["portal", "/v1/portal/chats/%d/delete", "destroyed"],
  ])("%s delete removes the chat and its container", async (_route, path, verb) => {
    const chat = await newChat();
    await post(`/v1/admin/chats/${chat.id}/start`, owner);
    const response = await post(path.replace("%d", String(chat.id)), owner);
    expect(response).toMatchObject({ status: 200, body: { message: `Chat '${chat.name}' ${verb}` } });
    expect(await containers.list(chat.id)).toHaveLength(0);
    expect(await db.prisma.chat.findUnique({ where: { id: chat.id } })).toBeNull();
  });
});

describe("who may start, stop and delete", () => {
  it("lets the admin routes act only at Admin+ and down the hierarchy", async () => {
    const ownersChat = await newChat(owner);
    const usersChat = await newChat(premium, "private");
    expect(await post(`/v1/admin/chats/${ownersChat.id}/start`)).toMatchObject({ status: 401, body: { detail: "Not authenticated" } });
    expect(await post(`/v1/admin/chats/${usersChat.id}/start`, premium)).toMatchObject({ status: 403, body: { detail: "Admin permission required" } });
    expect(await post(`/v1/admin/chats/${ownersChat.id}/start`, admin)).toMatchObject({ status: 403 });
    expect(await post(`/v1/admin/chats/${ownersChat.id}/delete`, admin)).toMatchObject({ status: 403 });
    expect(await post(`/v1/admin/chats/${usersChat.id}/start`, admin)).toMatchObject({ status: 200 });
    expect(await post(`/v1/admin/chats/${usersChat.id}/stop`, admin)).toMatchObject({ status: 200 });
  });

  it("lets the portal routes act for the chat's owner and a platform Owner only", async () => {
    const chat = await newChat(premium, "private");
    const publicChat = await newChat(admin);
    expect(await post(`/v1/portal/chats/${chat.id}/start`)).toMatchObject({ status: 401 });
    // a private chat the caller cannot see is unknown to them
    expect(await post(`/v1/portal/chats/${chat.id}/start`, stranger)).toMatchObject({ status: 404, body: { detail: "Chat not found" } });
    expect(await post(`/v1/portal/chats/${publicChat.id}/start`, stranger)).toMatchObject({ status: 403 });
    expect(await post(`/v1/portal/chats/${publicChat.id}/start`, premium)).toMatchObject({ status: 403 });
    // a platform Owner may start a private chat it cannot see
    expect(await post(`/v1/portal/chats/${chat.id}/start`, owner)).toMatchObject({ status: 200 });
    expect(await post(`/v1/portal/chats/${publicChat.id}/start`, owner)).toMatchObject({ status: 200 });
    expect(await post(`/v1/portal/chats/${publicChat.id}/stop`, admin)).toMatchObject({ status: 200 });
    expect(await get(`/v1/portal/chats/${chat.id}/status`)).toMatchObject({ status: 404 });
    expect(await get(`/v1/portal/chats/${publicChat.id}/status`)).toMatchObject({ status: 200 });
  });

  it("lets Admin+ delete private chats, and only the owner or an Owner delete public ones", async () => {
    const publicChat = await newChat(owner);
    expect(await post(`/v1/portal/chats/${publicChat.id}/delete`, admin)).toMatchObject({ status: 403 });
    expect(await post(`/v1/portal/chats/${publicChat.id}/delete`, stranger)).toMatchObject({ status: 403 });
    const privateChat = await newChat(premium, "private");
    expect(await post(`/v1/portal/chats/${privateChat.id}/delete`, stranger)).toMatchObject({ status: 404 });
    expect(await post(`/v1/portal/chats/${privateChat.id}/delete`, admin)).toMatchObject({ status: 200 });
    expect(await post(`/v1/portal/chats/${privateChat.id}/delete`, admin)).toMatchObject({ status: 404 });
  });
});

describe("when the engine is unreachable", () => {
  it("answers 503 for start and stop, changes nothing, and keeps the other routes working", async () => {
    const down = await startTestApp(db.prisma, vmConfig({ DOCKER_HOST: "unix:///tmp/portal-no-such-engine.sock" }));
    try {
      const chat = await newChat();
      await db.prisma.chat.update({ where: { id: chat.id }, data: { running: true } });
      const before = await db.prisma.chat.findUniqueOrThrow({ where: { id: chat.id } });
      for (const path of [`/v1/admin/chats/${chat.id}/start`, `/v1/admin/chats/${chat.id}/stop`, `/v1/portal/chats/${chat.id}/start`, `/v1/portal/chats/${chat.id}/stop`]) {
        expect(await post(path, owner, down)).toMatchObject({ status: 503, body: { detail: "Browser backend unavailable" } });
      }
      expect(await db.prisma.chat.findUniqueOrThrow({ where: { id: chat.id } })).toEqual(before);
      expect((await get("/v1/health", undefined, down)).body).toMatchObject({ status: "degraded", database: true, docker: false });
      // reads fall back to the database's flag
      expect((await get(`/v1/portal/chats/${chat.id}/status`, undefined, down)).body).toMatchObject({ running: true, viewer_count: 0 });
      const created = await request(`${down.url}/v1/admin/chats`, { token: owner.token, body: { name: "Still works", slug: `still-${chat.id}` } });
      expect(created.status).toBe(200);
      // delete still deletes; the reconciler removes the container later
      expect(await post(`/v1/admin/chats/${chat.id}/delete`, owner, down)).toMatchObject({ status: 200 });
    } finally {
      await down.close();
    }
  });
});

describe("the reconciler", () => {
  it("removes the container of a deleted chat and repairs a stale running flag", async () => {
    const vms = new DockerBrowserVms({ config: config.browserVms, browserImages: config.browserImages });
    try {
      const orphan = await newChat();
      const stale = await newChat();
      const live = await newChat();
      await post(`/v1/admin/chats/${orphan.id}/start`, owner);
      await post(`/v1/admin/chats/${live.id}/start`, owner);
      await db.prisma.chat.delete({ where: { id: orphan.id } });
      await db.prisma.chat.update({ where: { id: stale.id }, data: { running: true } });

      const report = await vms.reconcile(async () => (await db.prisma.chat.findMany({ select: { id: true } })).map((chat) => chat.id));
      await applyReconcileReport(db.prisma, report);

      expect(report.removed).toEqual([orphan.id]);
      expect(await containers.list(orphan.id)).toHaveLength(0);
      expect(await db.prisma.chat.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({ running: false });
      expect(await db.prisma.chat.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({ running: true });
      expect(report.adopted).toContain(live.id);
    } finally {
      await vms.close();
    }
  });
});

describe("images", () => {
  it("answers 503 naming the image when it cannot be pulled, and changes nothing", async () => {
    const chat = await db.prisma.chat.create({ data: { name: "No image", slug: `no-image-${process.pid}`, visibility: "official", ownerId: owner.id, browser: "missing" } });
    const response = await post(`/v1/admin/chats/${chat.id}/start`, owner);
    expect(response).toMatchObject({ status: 503, body: { detail: "Browser image 127.0.0.1:1/portal/missing:test is not available" } });
    expect(await db.prisma.chat.findUniqueOrThrow({ where: { id: chat.id } })).toMatchObject({ running: false });
    expect(await containers.list(chat.id)).toHaveLength(0);
  });
});

describe("supervision", () => {
  it("marks a chat stopped when its container dies outside the server", async () => {
    const vms = new DockerBrowserVms({ config: config.browserVms, browserImages: config.browserImages });
    const supervision = superviseChatBrowsers(db.prisma, vms, { intervalMs: 60_000, log: { debug() {}, info() {}, warn() {}, error() {} } });
    try {
      const chat = await newChat();
      expect((await post(`/v1/admin/chats/${chat.id}/start`, owner)).status).toBe(200);
      const [info] = await containers.list(chat.id);
      await containers.docker.getContainer(info!.Id).kill();
      const deadline = Date.now() + 15_000;
      let running = true;
      while (running && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        running = (await db.prisma.chat.findUniqueOrThrow({ where: { id: chat.id } })).running;
      }
      expect(running).toBe(false);
    } finally {
      supervision.stop();
      await vms.close();
    }
  });
});

describe("live events", () => {
  it("tells subscribers, anonymous ones included, that an official chat's browser started and stopped", async () => {
    const received: unknown[] = [];
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const subscription = createPortalClient({ url: app.url }).portal.events.subscribe(undefined, { onStarted: () => ready(), onData: (event) => void received.push(event) });
    try {
      await started;
      const chat = await newChat();
      expect((await post(`/v1/admin/chats/${chat.id}/start`, owner)).status).toBe(200);
      expect((await post(`/v1/admin/chats/${chat.id}/stop`, owner)).status).toBe(200);
      const deadline = Date.now() + 5_000;
      while (received.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received).toEqual([
        { type: "room:started", chat_id: chat.id },
        { type: "chat:status", chat_id: chat.id, running: true, viewer_count: 0 },
        { type: "room:stopped", chat_id: chat.id },
        { type: "chat:status", chat_id: chat.id, running: false, viewer_count: 0 },
      ]);
    } finally {
      subscription.unsubscribe();
    }
  });
});
