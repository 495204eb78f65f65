// BrowserVms on a Docker engine: one neko container per chat, found back by labels. Operations on
// one chat are serialized (keyed mutex), different chats run in parallel; every engine failure to
// connect surfaces as BrowserBackendUnavailableError.
import type Dockerode from "dockerode";
import type { BrowserVmsConfig } from "../../config.ts";
import {
  BrowserVmError,
  BrowserVmNotReadyError,
  silentLogger,
  type BrowserVmChat,
  type BrowserVmEvent,
  type BrowserVmLogger,
  type BrowserVmStartResult,
  type BrowserVmStatus,
  type BrowserVmSummary,
  type BrowserVms,
  type ReconcileReport,
} from "../types.ts";
import { createDockerClient, dockerStatus, toBrowserVmError } from "./client.ts";
import { VmEventStream } from "./events.ts";
import { BrowserImages } from "./images.ts";
import { KeyedMutex } from "./keyed-mutex.ts";
import { parseVmLabels, vmLabelFilter, type VmLabels } from "./labels.ts";
import { PortAllocator, type ChatPorts } from "./ports.ts";
import { ReadinessTimeoutError, waitForVmReady, type ContainerHealth } from "./readiness.ts";
import { reconcileBrowserVms } from "./reconcile.ts";
import { nekoApiBase, newVmSecrets, readVmSecrets, vmContainerName, vmContainerSpec } from "./spec.ts";
import { fetchViewerCount } from "./viewers.ts";

export interface DockerBrowserVmsOptions {
  config: BrowserVmsConfig;
  /** browser name → image (config.browserImages) */
  browserImages: Readonly<Record<string, string>>;
  log?: BrowserVmLogger;
  /** a ready client; by default one is built from config.dockerHost */
  docker?: Dockerode;
}

interface VmContainer {
  containerId: string;
  /** Docker's state: created, running, paused, restarting, removing, exited, dead */
  state: string;
  labels: VmLabels;
}

/** What the server needs to talk to a running VM's neko; the token never leaves this process. */
interface TrackedVm {
  containerId: string;
  nekoApiBase: string;
  apiToken: string;
}

const isRunning = (container: VmContainer) => container.state === "running";
// a container in these states holds its ports (created: a start is under way)
const holdsPorts = (container: VmContainer) => ["created", "running", "paused", "restarting"].includes(container.state);
const shortId = (containerId: string) => containerId.slice(0, 12);

export class DockerBrowserVms implements BrowserVms {
  private readonly docker: Dockerode;
  private readonly config: BrowserVmsConfig;
  private readonly browserImages: Readonly<Record<string, string>>;
  private readonly log: BrowserVmLogger;
  private readonly chatLocks = new KeyedMutex<number>();
  private readonly ports: PortAllocator;
  private readonly tracked = new Map<number, TrackedVm>();
  private readonly images: BrowserImages;
  private readonly listeners = new Set<(event: BrowserVmEvent) => void>();
  private events: VmEventStream | null = null;

  constructor(options: DockerBrowserVmsOptions) {
    this.config = options.config;
    this.browserImages = options.browserImages;
    this.log = options.log ?? silentLogger;
    this.docker = options.docker ?? createDockerClient(options.config.dockerHost);
    this.images = new BrowserImages(this.docker, this.log);
    this.ports = new PortAllocator(
      { webrtc: this.config.webrtcPorts, webrtcPerChat: this.config.webrtcPortsPerChat, http: this.config.httpPorts },
      async () =>
        (await this.listVmContainers()).filter(holdsPorts).map((container): ChatPorts => ({ webrtc: container.labels.webrtcPorts, http: container.labels.httpPort })),
    );
  }

  start(chat: BrowserVmChat): Promise<BrowserVmStartResult> {
    return this.engine(() => this.chatLocks.run(chat.id, () => this.startLocked(chat)));
  }

  stop(chatId: number): Promise<{ wasRunning: boolean }> {
    return this.engine(() =>
      this.chatLocks.run(chatId, async () => {
        const active = (await this.listVmContainers(chatId)).filter((container) => holdsPorts(container));
        for (const container of active) await this.stopContainer(container.containerId);
        this.ports.invalidate();
        this.tracked.delete(chatId);
        if (active.length > 0) this.log.info({ chatId }, "browser VM stopped");
        return { wasRunning: active.some(isRunning) };
      }),
    );
  }

  remove(chatId: number): Promise<void> {
    return this.engine(() =>
      this.chatLocks.run(chatId, async () => {
        const containers = await this.listVmContainers(chatId);
        for (const container of containers) await this.removeContainer(container.containerId);
        this.ports.invalidate();
        this.tracked.delete(chatId);
        if (containers.length > 0) this.log.info({ chatId }, "browser VM removed");
      }),
    );
  }

  status(chatId: number): Promise<BrowserVmStatus> {
    return this.engine(async () => {
      const container = (await this.listVmContainers(chatId)).find(isRunning);
      if (!container) return { running: false, viewerCount: 0 };
      const vm = await this.trackedVm(chatId, container);
      if (!vm) return { running: true, viewerCount: 0 };
      try {
        return { running: true, viewerCount: await fetchViewerCount(vm.nekoApiBase, vm.apiToken) };
      } catch (error) {
        this.log.debug({ chatId, err: (error as Error).message }, "neko did not report its sessions");
        return { running: true, viewerCount: 0 };
      }
    });
  }

  list(): Promise<BrowserVmSummary[]> {
    return this.engine(async () =>
      (await this.listVmContainers())
        .map((container) => ({ chatId: container.labels.chatId, running: isRunning(container), containerId: container.containerId }))
        .sort((a, b) => a.chatId - b.chatId),
    );
  }

  async ping(): Promise<boolean> {
    try {
      await (this.docker.ping as (options: { abortSignal: AbortSignal }) => Promise<unknown>)({ abortSignal: AbortSignal.timeout(3_000) });
      return true;
    } catch {
      return false;
    }
  }

  reconcile(liveChatIds: () => Promise<number[]>): Promise<ReconcileReport> {
    return this.engine(() =>
      reconcileBrowserVms({
        list: () => this.list(),
        liveChatIds,
        removeOrphan: (chatId) => this.remove(chatId),
        adopt: (chatId) => this.adopt(chatId),
        log: this.log,
      }),
    );
  }

  onEvent(listener: (event: BrowserVmEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.events) {
      this.events = new VmEventStream(this.docker, {
        instance: this.config.instance,
        log: this.log,
        onEvent: (event) => {
          if (event.type !== "started" && this.tracked.get(event.chatId)?.containerId === event.containerId) this.tracked.delete(event.chatId);
          this.emit({ type: event.type, chatId: event.chatId });
        },
        onResync: () => this.emit({ type: "resync" }),
      });
      this.events.start();
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.events?.close();
    this.events = null;
    this.listeners.clear();
    this.tracked.clear();
  }

  private async startLocked(chat: BrowserVmChat): Promise<BrowserVmStartResult> {
    const image = this.browserImages[chat.browser];
    if (!image) throw new BrowserVmError(`No image is configured for browser '${chat.browser}'`);

    const existing = await this.listVmContainers(chat.id);
    const running = existing.find(isRunning);
    if (running) {
      await this.trackedVm(chat.id, running);
      return { alreadyRunning: true };
    }
    // a stopped VM is created anew: each start gets fresh secrets and a free port range
    for (const container of existing) await this.removeContainer(container.containerId);

    await this.images.ensure(image);
    const secrets = newVmSecrets();
    const began = performance.now();
    const { container, ports } = await this.ports.withPorts(async (ports) => {
      try {
        const spec = vmContainerSpec({ config: this.config, chat, image, ports, secrets });
        return { container: await this.docker.createContainer(spec), ports };
      } catch (error) {
        if (dockerStatus(error) !== 409) throw error;
        const name = vmContainerName(this.config.instance, chat.id);
        throw new BrowserVmError(`A container named ${name} exists without this instance's labels; remove it`, { cause: error });
      }
    });
    const created = performance.now();
    try {
      await container.start();
    } catch (error) {
      // 304: already started (the restart policy or a racing client got there first)
      if (dockerStatus(error) !== 304) {
        await this.removeContainer(container.id).catch(() => {});
        throw error;
      }
    }
    const started = performance.now();

    const vm: TrackedVm = { containerId: container.id, nekoApiBase: nekoApiBase(this.config, ports.http), apiToken: secrets.apiToken };
    this.tracked.set(chat.id, vm);
    let readyMs: number;
    try {
      readyMs = await waitForVmReady({ nekoApiBase: vm.nekoApiBase, timeoutMs: this.config.readyTimeoutMs, inspect: () => this.health(container.id) });
    } catch (error) {
      if (!(error instanceof ReadinessTimeoutError)) throw error;
      // a start either succeeds or leaves nothing behind for the reconciler to misread
      this.tracked.delete(chat.id);
      await this.removeContainer(container.id).catch(() => {});
      throw new BrowserVmNotReadyError(chat.id, error.message);
    }
    const timings = { createMs: created - began, startMs: started - created, readyMs };
    this.log.info(
      { chatId: chat.id, containerId: shortId(container.id), webrtcPorts: `${ports.webrtc.min}-${ports.webrtc.max}`, httpPort: ports.http, ...roundedTimings(timings) },
      "browser VM started",
    );
    return { alreadyRunning: false, timings };
  }

  /** The running VM's neko address and token: from memory, or read back from the container env. */
  private async trackedVm(chatId: number, container: VmContainer): Promise<TrackedVm | null> {
    const known = this.tracked.get(chatId);
    if (known?.containerId === container.containerId) return known;
    const info = await this.docker.getContainer(container.containerId).inspect();
    const secrets = readVmSecrets(info.Config.Env);
    if (!secrets) {
      this.log.warn({ chatId, containerId: shortId(container.containerId) }, "browser VM has no neko API token in its env");
      return null;
    }
    const vm = { containerId: container.containerId, nekoApiBase: nekoApiBase(this.config, container.labels.httpPort), apiToken: secrets.apiToken };
    this.tracked.set(chatId, vm);
    return vm;
  }

  private adopt(chatId: number): Promise<boolean> {
    return this.chatLocks.run(chatId, async () => {
      const container = (await this.listVmContainers(chatId)).find(isRunning);
      return container !== undefined && (await this.trackedVm(chatId, container)) !== null;
    });
  }

  private async listVmContainers(chatId?: number): Promise<VmContainer[]> {
    const infos = await this.docker.listContainers({ all: true, filters: { label: vmLabelFilter(this.config.instance, chatId) } });
    const containers: VmContainer[] = [];
    for (const info of infos) {
      const labels = parseVmLabels(info.Labels);
      // damaged labels: left alone rather than failing every listing (a neko-rooms gap)
      if (!labels || labels.instance !== this.config.instance) continue;
      containers.push({ containerId: info.Id, state: info.State, labels });
    }
    return containers;
  }

  private async health(containerId: string): Promise<ContainerHealth> {
    const info = await this.docker.getContainer(containerId).inspect();
    return { running: info.State.Running && !info.State.Restarting, health: info.State.Health?.Status ?? null };
  }

  /** Graceful stop (Docker sends SIGKILL after the timeout); an explicit kill if the stop call fails. */
  private async stopContainer(containerId: string): Promise<void> {
    const container = this.docker.getContainer(containerId);
    try {
      await container.stop({ t: this.config.stopTimeoutS });
      return;
    } catch (error) {
      const status = dockerStatus(error);
      // 304: already stopped; 404: already gone
      if (status === 304 || status === 404) return;
      if (status === null) throw error;
      this.log.warn({ containerId: shortId(containerId), err: (error as Error).message }, "graceful stop failed; killing the browser VM");
    }
    try {
      await container.kill();
    } catch (error) {
      // 409: not running any more
      if (![304, 404, 409].includes(dockerStatus(error) ?? 0)) throw error;
    }
  }

  private async removeContainer(containerId: string): Promise<void> {
    try {
      await this.docker.getContainer(containerId).remove({ force: true, v: true });
    } catch (error) {
      // 404: already gone; 409: a removal is already under way
      if (![404, 409].includes(dockerStatus(error) ?? 0)) throw error;
    }
  }

  private emit(event: BrowserVmEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.error({ err: (error as Error).message }, "browser VM event listener failed");
      }
    }
  }

  private async engine<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toBrowserVmError(error);
    }
  }
}

function roundedTimings(timings: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(timings).map(([name, ms]) => [name, Math.round(ms)]));
}
