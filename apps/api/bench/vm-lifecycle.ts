// Browser-VM lifecycle latency: starting and stopping chats' VMs through the API against raw
// dockerode create + start and stop of the same container spec, in one run on one engine.
//
// The API side is the real app (POST /v1/admin/chats/{id}/start and /stop over HTTP); the raw side
// builds the identical spec with vmContainerSpec and calls the engine directly. An API start
// includes waiting for neko's /health; the service reports that wait, so "API start" below is the
// HTTP latency minus it, and the wait is shown on its own row. Both sides use the stand-in image
// with host networking on 127.0.0.1 ports, 20 chats one after another and 10 at once.
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { MEMORY, openDatabase } from "@portal/db";
import { DockerBrowserVms, createServices, loadConfig, type BrowserVms, type PortalConfig } from "@portal/server";
import { createDockerClient } from "../../../packages/server/src/browser-vms/docker/client.ts";
import { newVmSecrets, vmContainerSpec } from "../../../packages/server/src/browser-vms/docker/spec.ts";
import { nekoAnswersHealth } from "../../../packages/server/src/browser-vms/docker/readiness.ts";
import { STAND_IN_IMAGE } from "../../../test/support/docker.ts";
import { createTestUser, testConfig } from "../../../test/support/fixtures.ts";
import { vmContainers } from "../../../test/support/browser-vms.ts";
import { createApp } from "../src/app.ts";
import { createLogger } from "../src/logger.ts";

export interface LatencyStats {
  p50: number;
  p95: number;
  n: number;
}

export interface VmLifecycleResult {
  sequential: Record<string, LatencyStats>;
  concurrent: Record<string, LatencyStats>;
  /** API start without the readiness wait over raw create + start, p50 */
  startRatio: { sequential: number; concurrent: number };
}

const SEQUENTIAL = 20;
const CONCURRENT = 10;

function stats(values: number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), n: values.length };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Records the readiness wait of each start the app makes, so it can be taken out of the API latency. */
function recordingReadiness(vms: DockerBrowserVms, readyMs: Map<number, number>): BrowserVms {
  return {
    start: async (chat) => {
      const result = await vms.start(chat);
      if (result.timings) readyMs.set(chat.id, result.timings.readyMs);
      return result;
    },
    stop: (chatId) => vms.stop(chatId),
    remove: (chatId) => vms.remove(chatId),
    status: (chatId) => vms.status(chatId),
    list: () => vms.list(),
    ping: () => vms.ping(),
    reconcile: (live) => vms.reconcile(live),
    onEvent: (listener) => vms.onEvent(listener),
    close: () => vms.close(),
  };
}

function benchConfig(dockerHost: string, instance: string, httpPorts: string, webrtcPorts: string): PortalConfig {
  const base = loadConfig({
    DOCKER_HOST: dockerHost,
    PORTAL_INSTANCE: instance,
    PORTAL_VM_NETWORK_MODE: "host",
    PORTAL_VM_HTTP_PORTS: httpPorts,
    PORTAL_WEBRTC_PORTS: webrtcPorts,
    PORTAL_WEBRTC_PORTS_PER_CHAT: "10",
    PORTAL_VM_STOP_TIMEOUT_S: "1",
    PORTAL_BROWSER_IMAGES: JSON.stringify({ firefox: STAND_IN_IMAGE }),
  });
  return testConfig({ browserVms: base.browserVms, browserImages: base.browserImages, browsers: base.browsers, defaultBrowser: base.defaultBrowser });
}

export async function benchVmLifecycle(dockerHost: string, log: (line: string) => void): Promise<VmLifecycleResult> {
  const tag = randomBytes(3).toString("hex");
  const apiConfig = benchConfig(dockerHost, `bench-api-${tag}`, "26000-26099", "27000-27999");
  const rawConfig = benchConfig(dockerHost, `bench-raw-${tag}`, "26100-26199", "28000-28999");
  const db = await openDatabase({ url: null, dataDir: MEMORY, migrate: true });
  const readyMs = new Map<number, number>();
  const vms = new DockerBrowserVms({ config: apiConfig.browserVms, browserImages: apiConfig.browserImages });
  const app = createApp({
    db: db.prisma,
    config: apiConfig,
    logger: createLogger("silent"),
    services: createServices(apiConfig, { browserVms: recordingReadiness(vms, readyMs) }),
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const owner = await createTestUser(db.prisma, { level: "owner" });
  const docker = createDockerClient(dockerHost);
  const cleanup = [vmContainers(dockerHost, apiConfig.browserVms.instance), vmContainers(dockerHost, rawConfig.browserVms.instance)];

  const call = async (chatId: number, action: "start" | "stop") => {
    const response = await fetch(`${base}/v1/admin/chats/${chatId}/${action}`, { method: "POST", headers: { cookie: `psession=${owner.token}` } });
    if (response.status !== 200) throw new Error(`API ${action} of chat ${chatId} answered ${response.status}: ${await response.text()}`);
  };

  let chatNumber = 0;
  const newChats = (count: number) =>
    Promise.all(
      Array.from({ length: count }, () => {
        chatNumber += 1;
        return db.prisma.chat.create({ data: { name: `Bench ${chatNumber}`, slug: `bench-vm-${chatNumber}`, visibility: "official", ownerId: owner.id } });
      }),
    );

  /** One API start+stop; returns the four latencies. */
  async function apiLifecycle(chatId: number) {
    const start = await timed(() => call(chatId, "start"));
    const ready = readyMs.get(chatId) ?? 0;
    const stop = await timed(() => call(chatId, "stop"));
    return { startMs: start.ms - ready, totalMs: start.ms, readyMs: ready, stopMs: stop.ms };
  }

  /** The same spec straight through dockerode: create + start, then the same readiness wait, then stop. */
  let rawPort = 0;
  async function rawLifecycle(chatId: number) {
    rawPort += 1;
    const ports = { webrtc: { min: 28000 + rawPort * 10, max: 28000 + rawPort * 10 + 9 }, http: 26100 + rawPort };
    const spec = vmContainerSpec({ config: rawConfig.browserVms, chat: { id: chatId, browser: "firefox", startUrl: null, kiosk: false }, image: STAND_IN_IMAGE, ports, secrets: newVmSecrets() });
    const start = await timed(async () => {
      const container = await docker.createContainer(spec);
      await container.start();
      return container;
    });
    const ready = await timed(async () => {
      while (!(await nekoAnswersHealth(`http://127.0.0.1:${ports.http}`))) await new Promise((resolve) => setTimeout(resolve, 25));
    });
    const stop = await timed(() => start.value.stop({ t: rawConfig.browserVms.stopTimeoutS }));
    return { startMs: start.ms, readyMs: ready.ms, stopMs: stop.ms };
  }

  try {
    const api = { start: [] as number[], total: [] as number[], ready: [] as number[], stop: [] as number[] };
    const raw = { start: [] as number[], ready: [] as number[], stop: [] as number[] };
    log(`VM lifecycle: ${SEQUENTIAL} chats one after another…`);
    for (const chat of await newChats(SEQUENTIAL)) {
      const a = await apiLifecycle(chat.id);
      api.start.push(a.startMs), api.total.push(a.totalMs), api.ready.push(a.readyMs), api.stop.push(a.stopMs);
      const r = await rawLifecycle(100_000 + chat.id);
      raw.start.push(r.startMs), raw.ready.push(r.readyMs), raw.stop.push(r.stopMs);
    }
    const sequential = {
      "API start (without readiness)": stats(api.start),
      "API start (total)": stats(api.total),
      "API readiness wait": stats(api.ready),
      "raw create + start": stats(raw.start),
      "raw readiness wait": stats(raw.ready),
      "API stop": stats(api.stop),
      "raw stop": stats(raw.stop),
    };

    log(`VM lifecycle: ${CONCURRENT} chats at once…`);
    rawPort = 50;
    const chats = await newChats(CONCURRENT);
    const apiRuns = await Promise.all(chats.map((chat) => apiLifecycle(chat.id)));
    const rawRuns = await Promise.all(chats.map((chat) => rawLifecycle(200_000 + chat.id)));
    const concurrent = {
      "API start (without readiness)": stats(apiRuns.map((run) => run.startMs)),
      "API start (total)": stats(apiRuns.map((run) => run.totalMs)),
      "API readiness wait": stats(apiRuns.map((run) => run.readyMs)),
      "raw create + start": stats(rawRuns.map((run) => run.startMs)),
      "raw readiness wait": stats(rawRuns.map((run) => run.readyMs)),
      "API stop": stats(apiRuns.map((run) => run.stopMs)),
      "raw stop": stats(rawRuns.map((run) => run.stopMs)),
    };
    const ratio = (table: typeof sequential) => table["API start (without readiness)"].p50 / table["raw create + start"].p50;
    return { sequential, concurrent, startRatio: { sequential: ratio(sequential), concurrent: ratio(concurrent) } };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await vms.close();
    for (const instance of cleanup) await instance.removeAll();
    await db.close();
  }
}

export function printVmLifecycle(result: VmLifecycleResult): void {
  const rows = (title: string, table: Record<string, LatencyStats>) => {
    console.log(`\n${title}`);
    console.log(`  ${"".padEnd(32)}${"p50 ms".padStart(10)}${"p95 ms".padStart(10)}${"n".padStart(6)}`);
    for (const [name, { p50, p95, n }] of Object.entries(table)) {
      console.log(`  ${name.padEnd(32)}${p50.toFixed(1).padStart(10)}${p95.toFixed(1).padStart(10)}${String(n).padStart(6)}`);
    }
  };
  rows(`Browser VM lifecycle, ${SEQUENTIAL} chats one after another`, result.sequential);
  rows(`Browser VM lifecycle, ${CONCURRENT} chats at once`, result.concurrent);
  console.log(
    `\nAPI start / raw create+start, p50 (readiness excluded; target <= 1.25): ` +
      `sequential ${result.startRatio.sequential.toFixed(2)}, concurrent ${result.startRatio.concurrent.toFixed(2)}`,
  );
}
