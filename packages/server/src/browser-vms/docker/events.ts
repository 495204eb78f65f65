// Docker events of this instance's VMs as started/stopped/died per chat. Unlike neko-rooms, the
// stream is reopened with exponential backoff when the engine goes away (restart, socket loss),
// resumes from the last event seen, and asks for a resync since events may have been missed.
import type Dockerode from "dockerode";
import type { BrowserVmLogger } from "../types.ts";
import { parseVmLabels, vmLabelFilter } from "./labels.ts";

export interface DockerVmEvent {
  type: "started" | "stopped" | "died";
  chatId: number;
  containerId: string;
}

const eventTypes = { start: "started", stop: "stopped", die: "died" } as const;

interface RawDockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** One engine event as a VM event, or null for events of other instances or other kinds. */
export function toVmEvent(raw: RawDockerEvent, instance: string): DockerVmEvent | null {
  if (raw.Type !== "container" || !raw.Actor?.ID) return null;
  const type = eventTypes[raw.Action as keyof typeof eventTypes];
  const labels = parseVmLabels(raw.Actor.Attributes);
  if (!type || !labels || labels.instance !== instance) return null;
  return { type, chatId: labels.chatId, containerId: raw.Actor.ID };
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: Backoff = { initialMs: 250, maxMs: 30_000 };

/** Delay before reconnect attempt `attempt` (0-based): doubles each time up to the cap. */
export function reconnectDelay(attempt: number, backoff: Backoff = defaultBackoff): number {
  return Math.min(backoff.initialMs * 2 ** Math.min(attempt, 30), backoff.maxMs);
}

export interface VmEventStreamOptions {
  instance: string;
  onEvent: (event: DockerVmEvent) => void;
  /** the stream (re)connected after a failure: state may have changed unseen */
  onResync: () => void;
  log: BrowserVmLogger;
  backoff?: Backoff;
}

type EventSource = Pick<Dockerode, "getEvents">;
type ClosableStream = NodeJS.ReadableStream & { destroy?: () => void };

export class VmEventStream {
  private stream: ClosableStream | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private started = false;
  private failures = 0;
  private missedEvents = false;
  /** seconds and nanoseconds of the last event handled, to resume without repeats */
  private lastTime: number | null = null;
  private lastTimeNano = 0;

  constructor(
    private readonly docker: EventSource,
    private readonly options: VmEventStreamOptions,
  ) {}

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    void this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stream?.destroy?.();
    this.stream = null;
  }

  private async connect(): Promise<void> {
    this.timer = null;
    let stream: ClosableStream;
    try {
      stream = (await this.docker.getEvents({
        ...(this.lastTime === null ? {} : { since: this.lastTime }),
        filters: { type: ["container"], event: Object.keys(eventTypes), label: vmLabelFilter(this.options.instance) },
      })) as ClosableStream;
    } catch (error) {
      this.reconnectLater(error);
      return;
    }
    if (this.closed) {
      stream.destroy?.();
      return;
    }
    this.stream = stream;
    this.failures = 0;
    if (this.missedEvents) {
      this.missedEvents = false;
      this.options.log.info({}, "Docker events stream reconnected");
      this.options.onResync();
    }

    let buffered = "";
    stream.on("data", (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== "") this.handleLine(line);
      }
    });
    let gone = false;
    const onGone = (error?: unknown) => {
      if (gone) return;
      gone = true;
      if (this.stream === stream) this.stream = null;
      if (!this.closed) this.reconnectLater(error ?? new Error("the engine closed the events stream"));
    };
    stream.on("error", onGone);
    stream.on("end", () => onGone());
    stream.on("close", () => onGone());
  }

  private handleLine(line: string): void {
    let raw: RawDockerEvent;
    try {
      raw = JSON.parse(line) as RawDockerEvent;
    } catch {
      return;
    }
    // a resumed stream repeats the events of the last second
    if (raw.timeNano !== undefined && raw.timeNano <= this.lastTimeNano) return;
    if (raw.time !== undefined) this.lastTime = raw.time;
    if (raw.timeNano !== undefined) this.lastTimeNano = raw.timeNano;
    const event = toVmEvent(raw, this.options.instance);
    if (event) this.options.onEvent(event);
  }

  private reconnectLater(error: unknown): void {
    if (this.closed) return;
    this.missedEvents = true;
    const delay = reconnectDelay(this.failures++, this.options.backoff);
    this.options.log.warn({ err: (error as Error)?.message, retryInMs: delay }, "Docker events stream lost; reconnecting");
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }
}
