// A chat's browser VM as the rest of the server sees it (§4): no Docker types and no secrets cross
// this line, so procedures can return what these methods give without filtering.

/** Both ends included. */
export interface PortRange {
  min: number;
  max: number;
}

/** What a start needs from the chat row (browser_config flattened). */
export interface BrowserVmChat {
  id: number;
  browser: string;
  startUrl: string | null;
  kiosk: boolean;
}

export interface BrowserVmStartResult {
  alreadyRunning: boolean;
  /** of a fresh start: container create, engine start, wait until neko answered (milliseconds) */
  timings?: { createMs: number; startMs: number; readyMs: number };
}

export interface BrowserVmStatus {
  running: boolean;
  /** connected neko sessions; 0 when stopped or when neko does not answer */
  viewerCount: number;
}

export interface BrowserVmSummary {
  chatId: number;
  running: boolean;
  containerId: string;
}

/** What one reconcile pass found and did; the caller repairs the database from it. */
export interface ReconcileReport {
  /** chats that no longer exist whose containers were removed */
  removed: number[];
  /** live chats without a container: their running flag must be false */
  missing: number[];
  /** live chats whose container exists but is not running */
  stopped: number[];
  /** live chats whose running container this server now tracks (token read back from it) */
  adopted: number[];
}

export type BrowserVmEvent =
  | { type: "started" | "stopped" | "died"; chatId: number }
  /** the engine connection came back: events may have been missed, re-read the state */
  | { type: "resync" };

export interface BrowserVms {
  /**
   * Creates the VM (anew when stopped: fresh secrets and ports), starts it and waits until neko
   * answers. A VM that does not become ready is removed and BrowserVmNotReadyError thrown.
   */
  start(chat: BrowserVmChat): Promise<BrowserVmStartResult>;
  /** Graceful stop with the configured timeout, then kill. */
  stop(chatId: number): Promise<{ wasRunning: boolean }>;
  /** Removes the chat's container, running or not; nothing to remove is fine. */
  remove(chatId: number): Promise<void>;
  status(chatId: number): Promise<BrowserVmStatus>;
  list(): Promise<BrowserVmSummary[]>;
  /** true when the engine answers; never throws (for /v1/health) */
  ping(): Promise<boolean>;
  /** `liveChatIds` is read after the containers are listed, so a chat created meanwhile is never taken for deleted. */
  reconcile(liveChatIds: () => Promise<number[]>): Promise<ReconcileReport>;
  /** Subscribes to VM state changes; returns the unsubscribe function. */
  onEvent(listener: (event: BrowserVmEvent) => void): () => void;
  close(): Promise<void>;
}

type LogFn = (fields: Record<string, unknown>, message: string) => void;
/** The subset of pino's Logger the VM code uses. */
export interface BrowserVmLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export const silentLogger: BrowserVmLogger = { debug() {}, info() {}, warn() {}, error() {} };

export class BrowserVmError extends Error {
  override name = "BrowserVmError";
}

/** The Docker engine cannot be reached: 503 "Browser backend unavailable", nothing changed. */
export class BrowserBackendUnavailableError extends BrowserVmError {
  override name = "BrowserBackendUnavailableError";
  constructor(options?: ErrorOptions) {
    super("Browser backend unavailable", options);
  }
}

/** Every WebRTC range (or HTTP port) of the pool is held by another chat: 409. */
export class PortPoolExhaustedError extends BrowserVmError {
  override name = "PortPoolExhaustedError";
  constructor(readonly pool: "webrtc" | "http") {
    super(pool === "webrtc" ? "No free WebRTC ports for another browser VM" : "No free HTTP port for another browser VM");
  }
}

/** The browser's image is not on the engine and could not be pulled: 503 naming the image. */
export class ImageUnavailableError extends BrowserVmError {
  override name = "ImageUnavailableError";
  constructor(
    readonly image: string,
    options?: ErrorOptions,
  ) {
    super(`Browser image ${image} is not available`, options);
  }
}

/** The container started but neko did not answer within the readiness timeout; it was removed again. */
export class BrowserVmNotReadyError extends BrowserVmError {
  override name = "BrowserVmNotReadyError";
  constructor(
    readonly chatId: number,
    reason: string,
  ) {
    super(`Browser VM of chat ${chatId} is not ready: ${reason}`);
  }
}
