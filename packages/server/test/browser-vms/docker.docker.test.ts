// DockerBrowserVms against a real Docker engine with the neko stand-in image (busybox httpd serving
// /health and /api/sessions). Host networking on 127.0.0.1 ports only (PLATFORM.md network rule).
// Every container carries this file's own instance label and is removed after each test.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import Dockerode from "dockerode";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { STAND_IN_IMAGE, useTestDockerEngine, type DockerEngine } from "../../../../test/support/docker.ts";
import { loadConfig } from "../../src/config.ts";
import { createDockerClient } from "../../src/browser-vms/docker/client.ts";
import { parseVmLabels, vmLabelFilter } from "../../src/browser-vms/docker/labels.ts";
import { rangesOverlap } from "../../src/browser-vms/docker/ports.ts";
import { DockerBrowserVms } from "../../src/browser-vms/docker/service.ts";
import { newVmSecrets, vmContainerSpec } from "../../src/browser-vms/docker/spec.ts";
import {
  BrowserBackendUnavailableError,
  BrowserVmNotReadyError,
  ImageUnavailableError,
  PortPoolExhaustedError,
  type BrowserVmEvent,
  type BrowserVmLogger,
} from "../../src/browser-vms/types.ts";

const instance = `vmtest-${process.pid}-${randomBytes(3).toString("hex")}`;
// below the kernel's ephemeral range; varied per process so two runs on one machine rarely meet
const HTTP_PORTS = { min: 21000 + (process.pid % 50) * 100, max: 21000 + (process.pid % 50) * 100 + 99 };
const MISSING_IMAGE = "127.0.0.1:1/portal/missing-browser:test";

let engine: DockerEngine;
let docker: Dockerode;
const services: DockerBrowserVms[] = [];
const logLines: string[] = [];

const logger: BrowserVmLogger = Object.fromEntries(
  (["debug", "info", "warn", "error"] as const).map((level) => [level, (fields: Record<string, unknown>, message: string) => void logLines.push(`${level} ${message} ${JSON.stringify(fields)}`)]),
) as unknown as BrowserVmLogger;

function vmConfig(env: Record<string, string> = {}) {
  return loadConfig(
    {
      DOCKER_HOST: engine.host,
      PORTAL_INSTANCE: instance,
      PORTAL_VM_NETWORK_MODE: "host",
      PORTAL_VM_HTTP_PORTS: `${HTTP_PORTS.min}-${HTTP_PORTS.max}`,
      PORTAL_WEBRTC_PORTS: "23200-23399",
      PORTAL_WEBRTC_PORTS_PER_CHAT: "10",
      PORTAL_VM_MEMORY: "256m",
      PORTAL_VM_CPUS: "0.5",
      PORTAL_VM_READY_TIMEOUT_MS: "10000",
      PORTAL_VM_STOP_TIMEOUT_S: "2",
      PORTAL_BROWSER_IMAGES: JSON.stringify({ firefox: STAND_IN_IMAGE, chromium: STAND_IN_IMAGE, missing: MISSING_IMAGE }),
      ...env,
    },
    "/",
  );
}

function browserVms(env: Record<string, string> = {}): DockerBrowserVms {
  const config = vmConfig(env);
  const vms = new DockerBrowserVms({ config: config.browserVms, browserImages: config.browserImages, log: logger });
  services.push(vms);
  return vms;
}

const chat = (id: number, browser = "firefox") => ({ id, browser, startUrl: null, kiosk: false });

async function chatContainers(chatId?: number) {
  return docker.listContainers({ all: true, filters: { label: vmLabelFilter(instance, chatId) } });
}

async function inspectChat(chatId: number) {
  const [info] = await chatContainers(chatId);
  if (!info) throw new Error(`chat ${chatId} has no container`);
  return docker.getContainer(info.Id).inspect();
}

/** WebRTC range and HTTP port of every running VM of this instance, from their labels. */
async function runningPorts() {
  const running = (await chatContainers()).filter((info) => info.State === "running");
  return running.map((info) => parseVmLabels(info.Labels)!);
}

function expectPairwiseDisjoint(vms: Array<{ webrtcPorts: { min: number; max: number }; httpPort: number }>) {
  for (const [i, a] of vms.entries()) {
    for (const b of vms.slice(i + 1)) {
      expect(rangesOverlap(a.webrtcPorts, b.webrtcPorts), `${JSON.stringify(a.webrtcPorts)} vs ${JSON.stringify(b.webrtcPorts)}`).toBe(false);
      expect(a.httpPort).not.toBe(b.httpPort);
    }
  }
}

/** Runs a command in the chat's container and waits for it to finish. */
async function execIn(chatId: number, cmd: string[]) {
  const [info] = await chatContainers(chatId);
  const exec = await docker.getContainer(info!.Id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
    stream.resume();
  });
  expect((await exec.inspect()).ExitCode).toBe(0);
}

const session = (id: string, connected: boolean) => ({ id, profile: { name: id }, state: { is_connected: connected } });
const serveSessions = (chatId: number, sessions: unknown[]) =>
  execIn(chatId, ["sh", "-c", 'printf "%s" "$1" > /www/api/sessions', "sh", JSON.stringify(sessions)]);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

beforeAll(async () => {
  engine = await useTestDockerEngine();
  docker = createDockerClient(engine.host);
}, 120_000);

afterEach(async () => {
  await Promise.all(services.splice(0).map((vms) => vms.close()));
  await Promise.all((await chatContainers()).map((info) => docker.getContainer(info.Id).remove({ force: true })));
});

describe("DockerBrowserVms on a real engine", () => {
  test("start → a running container with the expected labels, v3 env names, limits, capability and restart policy", async () => {
    const vms = browserVms();
    const result = await vms.start({ id: 1, browser: "firefox", startUrl: "https://example.org/", kiosk: true });
    expect(result.alreadyRunning).toBe(false);

    const info = await inspectChat(1);
    expect(info.State.Running).toBe(true);
    expect(info.Name).toBe(`/${instance}-chat-1`);
    const labels = parseVmLabels(info.Config.Labels);
    expect(labels).toMatchObject({ instance, chatId: 1, browser: "firefox", image: STAND_IN_IMAGE, networkMode: "host", startUrl: "https://example.org/", kiosk: true });
    expect(labels!.webrtcPorts.max - labels!.webrtcPorts.min).toBe(9);

    const env = Object.fromEntries(info.Config.Env.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
    const nekoNames = Object.keys(env).filter((name) => name.startsWith("NEKO_")).sort();
    expect(nekoNames).toEqual(
      [
        "NEKO_DESKTOP_SCREEN",
        "NEKO_MEMBER_MULTIUSER_ADMIN_PASSWORD",
        "NEKO_MEMBER_MULTIUSER_USER_PASSWORD",
        "NEKO_MEMBER_PROVIDER",
        "NEKO_SERVER_BIND",
        "NEKO_SERVER_PROXY",
        "NEKO_SESSION_API_TOKEN",
        "NEKO_WEBRTC_EPR",
        "NEKO_WEBRTC_ICELITE",
      ].sort(),
    );
    for (const legacy of ["NEKO_SCREEN", "NEKO_PASSWORD", "NEKO_PASSWORD_ADMIN", "NEKO_EPR", "NEKO_BIND", "NEKO_NAT1TO1", "NEKO_ICELITE"]) expect(env).not.toHaveProperty(legacy);
    expect(env.NEKO_SERVER_BIND).toBe(`127.0.0.1:${labels!.httpPort}`);
    expect(env.NEKO_WEBRTC_EPR).toBe(`${labels!.webrtcPorts.min}-${labels!.webrtcPorts.max}`);

    expect(info.HostConfig).toMatchObject({
      NetworkMode: "host",
      CapAdd: ["SYS_ADMIN"],
      Memory: 256 * 1024 ** 2,
      NanoCpus: 500_000_000,
      ShmSize: 2 * 1024 ** 3,
      RestartPolicy: { Name: "unless-stopped" },
    });

    expect(await vms.status(1)).toEqual({ running: true, viewerCount: 0 });
    expect((await fetch(`http://127.0.0.1:${labels!.httpPort}/health`)).status).toBe(200);
    expect(await vms.list()).toEqual([{ chatId: 1, running: true, containerId: info.Id }]);
    expect(await vms.ping()).toBe(true);

    // secrets stay out of the log
    const secrets = [env.NEKO_SESSION_API_TOKEN!, env.NEKO_MEMBER_MULTIUSER_USER_PASSWORD!, env.NEKO_MEMBER_MULTIUSER_ADMIN_PASSWORD!];
    expect(logLines.some((line) => line.includes("browser VM started"))).toBe(true);
    for (const secret of secrets) expect(logLines.join("\n")).not.toContain(secret);
  });

  test("5 chats → pairwise disjoint ports; stop one and start another → still no overlap", async () => {
    const vms = browserVms();
    await Promise.all([1, 2, 3, 4, 5].map((id) => vms.start(chat(id))));
    const five = await runningPorts();
    expect(five).toHaveLength(5);
    expectPairwiseDisjoint(five);

    expect(await vms.stop(3)).toEqual({ wasRunning: true });
    expect(await vms.status(3)).toEqual({ running: false, viewerCount: 0 });
    expect(await vms.stop(3)).toEqual({ wasRunning: false });
    await vms.start(chat(6));
    const after = await runningPorts();
    expect(after.map((vm) => vm.chatId).sort()).toEqual([1, 2, 4, 5, 6]);
    expectPairwiseDisjoint(after);

    // the stopped chat comes back with ports that overlap no running chat's
    await vms.start(chat(3));
    const all = await runningPorts();
    expect(all).toHaveLength(6);
    expectPairwiseDisjoint(all);
  });

  test("a full port pool → PortPoolExhaustedError, and nothing is created", async () => {
    const vms = browserVms({ PORTAL_WEBRTC_PORTS: "23200-23219" });
    await vms.start(chat(1));
    await vms.start(chat(2));
    await expect(vms.start(chat(3))).rejects.toBeInstanceOf(PortPoolExhaustedError);
    expect(await chatContainers(3)).toHaveLength(0);

    // a stopped chat frees its range for another
    await vms.stop(1);
    await expect(vms.start(chat(3))).resolves.toMatchObject({ alreadyRunning: false });
    expectPairwiseDisjoint(await runningPorts());
  });

  test("start twice → alreadyRunning; 10 concurrent starts of one chat → one container", async () => {
    const vms = browserVms();
    expect((await vms.start(chat(1))).alreadyRunning).toBe(false);
    expect((await vms.start(chat(1))).alreadyRunning).toBe(true);

    const results = await Promise.all(Array.from({ length: 10 }, () => vms.start(chat(2))));
    expect(results.filter((result) => !result.alreadyRunning)).toHaveLength(1);
    expect(await chatContainers(2)).toHaveLength(1);
    expect(await chatContainers()).toHaveLength(2);
  });

  test("a stopped VM starts again as a new container with fresh secrets", async () => {
    const vms = browserVms();
    await vms.start(chat(1));
    const first = await inspectChat(1);
    await vms.stop(1);
    await vms.start(chat(1));
    const second = await inspectChat(1);
    const token = (info: typeof first) => info.Config.Env.find((entry) => entry.startsWith("NEKO_SESSION_API_TOKEN="));
    expect(second.Id).not.toBe(first.Id);
    expect(token(second)).not.toBe(token(first));
    expect(await chatContainers(1)).toHaveLength(1);
  });

  test("viewerCount follows neko's /api/sessions; 0 when stopped", async () => {
    const vms = browserVms();
    await vms.start(chat(1));
    expect((await vms.status(1)).viewerCount).toBe(0);
    await serveSessions(1, [session("a", true), session("b", false), session("c", true)]);
    expect(await vms.status(1)).toEqual({ running: true, viewerCount: 2 });
    await serveSessions(1, [session("a", true)]);
    expect((await vms.status(1)).viewerCount).toBe(1);
    await vms.stop(1);
    expect(await vms.status(1)).toEqual({ running: false, viewerCount: 0 });
  });

  test("after a server restart a new service adopts the running VM with its token read back", async () => {
    const before = browserVms();
    await before.start(chat(1));
    await serveSessions(1, [session("a", true)]);
    await before.close();

    const after = browserVms();
    expect(await after.reconcile(async () => [1])).toEqual({ removed: [], missing: [], stopped: [], adopted: [1] });
    expect(await after.status(1)).toEqual({ running: true, viewerCount: 1 });
    expect((await after.start(chat(1))).alreadyRunning).toBe(true);
  });

  test("remove removes the container, running or not; removing or stopping nothing is fine", async () => {
    const vms = browserVms();
    await vms.start(chat(1));
    await vms.start(chat(2));
    await vms.stop(2);
    await vms.remove(1);
    await vms.remove(2);
    expect(await chatContainers()).toHaveLength(0);
    await expect(vms.remove(1)).resolves.toBeUndefined();
    expect(await vms.stop(1)).toEqual({ wasRunning: false });
    expect(await vms.status(1)).toEqual({ running: false, viewerCount: 0 });
  });

  test("reconcile removes the container of a deleted chat and reports live chats without a running VM", async () => {
    const vms = browserVms();
    await Promise.all([1, 2, 3].map((id) => vms.start(chat(id))));
    await vms.stop(3);
    const report = await vms.reconcile(async () => [1, 3, 4]);
    expect(report).toEqual({ removed: [2], missing: [4], stopped: [3], adopted: [1] });
    expect(await chatContainers(2)).toHaveLength(0);
    expect((await vms.list()).map((vm) => vm.chatId)).toEqual([1, 3]);
  });

  test("an unreachable engine → BrowserBackendUnavailableError for every operation, ping false", async () => {
    for (const dockerHost of ["unix:///tmp/portal-docker-missing/docker.sock", "tcp://127.0.0.1:1"]) {
      const vms = browserVms({ DOCKER_HOST: dockerHost });
      await expect(vms.start(chat(1))).rejects.toBeInstanceOf(BrowserBackendUnavailableError);
      await expect(vms.start(chat(1))).rejects.toThrow("Browser backend unavailable");
      await expect(vms.stop(1)).rejects.toBeInstanceOf(BrowserBackendUnavailableError);
      await expect(vms.remove(1)).rejects.toBeInstanceOf(BrowserBackendUnavailableError);
      await expect(vms.status(1)).rejects.toBeInstanceOf(BrowserBackendUnavailableError);
      await expect(vms.list()).rejects.toBeInstanceOf(BrowserBackendUnavailableError);
      await expect(vms.reconcile(async () => [])).rejects.toBeInstanceOf(BrowserBackendUnavailableError);
      expect(await vms.ping()).toBe(false);
    }
  });

  test("an image that cannot be pulled → ImageUnavailableError naming it, nothing created", async () => {
    const vms = browserVms();
    const error = await vms.start(chat(1, "missing")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageUnavailableError);
    expect((error as ImageUnavailableError).message).toContain(MISSING_IMAGE);
    expect(await chatContainers(1)).toHaveLength(0);
    expect(logLines.some((line) => line.includes("pulling browser image") && line.includes(MISSING_IMAGE))).toBe(true);
  });

  test("neko not answering in time → BrowserVmNotReadyError, and the container is removed", async () => {
    // something else holds the first HTTP port, so the stand-in cannot bind it and exits
    const squatter = createServer((_, res) => res.writeHead(500).end());
    await new Promise<void>((resolve) => squatter.listen(HTTP_PORTS.min, "127.0.0.1", resolve));
    try {
      const vms = browserVms({ PORTAL_VM_READY_TIMEOUT_MS: "3000" });
      await expect(vms.start(chat(1))).rejects.toBeInstanceOf(BrowserVmNotReadyError);
      expect(await chatContainers(1)).toHaveLength(0);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  test("events: started and stopped per chat", async () => {
    const vms = browserVms();
    const events: BrowserVmEvent[] = [];
    const unsubscribe = vms.onEvent((event) => events.push(event));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await vms.start(chat(1));
    await vms.stop(1);
    const deadline = Date.now() + 5_000;
    while (!events.some((event) => event.type === "stopped") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    unsubscribe();
    expect(events).toContainEqual({ type: "started", chatId: 1 });
    expect(events).toContainEqual({ type: "stopped", chatId: 1 });
  });

  test("timings: start through the service vs raw dockerode create + start of the same spec", async () => {
    const vms = browserVms();
    const service: Array<{ createMs: number; startMs: number; readyMs: number }> = [];
    const wholeCall: number[] = [];
    for (let id = 1; id <= 8; id++) {
      const began = performance.now();
      const { timings } = await vms.start(chat(id));
      wholeCall.push(performance.now() - began - timings!.readyMs);
      service.push(timings!);
    }
    await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((id) => vms.remove(id)));

    const config = vmConfig().browserVms;
    const raw: number[] = [];
    for (let id = 101; id <= 108; id++) {
      const spec = vmContainerSpec({ config, chat: chat(id), image: STAND_IN_IMAGE, ports: { webrtc: { min: 23200, max: 23209 }, http: HTTP_PORTS.min + id - 100 }, secrets: newVmSecrets() });
      const began = performance.now();
      await (await docker.createContainer(spec)).start();
      raw.push(performance.now() - began);
    }
    const serviceCreateStart = median(service.map((t) => t.createMs + t.startMs));
    console.log(
      `[timings] service create+start p50 ${serviceCreateStart.toFixed(0)} ms (create ${median(service.map((t) => t.createMs)).toFixed(0)}, ` +
        `start ${median(service.map((t) => t.startMs)).toFixed(0)}), readiness p50 ${median(service.map((t) => t.readyMs)).toFixed(0)} ms; ` +
        `whole start() call without readiness p50 ${median(wholeCall).toFixed(0)} ms; raw dockerode create+start p50 ${median(raw).toFixed(0)} ms`,
    );
    expect(serviceCreateStart).toBeLessThan(10_000);
  });
});
