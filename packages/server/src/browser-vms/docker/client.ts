// The dockerode client and the reading of its errors. No API version is pinned: the client talks
// the engine's own version (Docker 29 rejects versions below 1.44, which broke neko-rooms).
import Dockerode from "dockerode";
import { BrowserBackendUnavailableError, BrowserVmError } from "../types.ts";

/** How long connecting to the engine may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;

/** A client for `unix:///path`, `tcp://host:port` or `http(s)://host:port`; ignores the process env. */
export function createDockerClient(dockerHost: string): Dockerode {
  const url = new URL(dockerHost);
  // docker-modem merges DOCKER_HOST from the env into these options, so every field is set explicitly
  const connection =
    url.protocol === "unix:"
      ? { socketPath: decodeURIComponent(url.pathname), host: undefined, port: undefined, protocol: undefined }
      : {
          socketPath: undefined,
          host: url.hostname,
          port: url.port || (url.protocol === "https:" ? "2376" : "2375"),
          protocol: url.protocol === "https:" ? ("https" as const) : ("http" as const),
        };
  // connectionTimeout (docker-modem) bounds only the connect, so long event streams and stops are unaffected
  const options: Dockerode.DockerOptions & { connectionTimeout: number } = { ...connection, connectionTimeout: CONNECT_TIMEOUT_MS };
  return new Dockerode(options);
}

/** The engine's HTTP status of a failed call, if the engine answered at all. */
export function dockerStatus(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : null;
}

const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EACCES",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENOTSOCK",
]);

/** The call never reached the engine (socket missing, refused, reset, timed out). */
export function isEngineUnreachable(error: unknown): boolean {
  if (dockerStatus(error) !== null) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && unreachableCodes.has(code)) return true;
  return error instanceof Error && /socket hang up|connect ETIMEDOUT/i.test(error.message);
}

/** Our own errors pass through; an unreachable engine becomes BrowserBackendUnavailableError. */
export function toBrowserVmError(error: unknown): unknown {
  if (error instanceof BrowserVmError) return error;
  if (isEngineUnreachable(error)) return new BrowserBackendUnavailableError({ cause: error });
  return error;
}
