// Reading dockerode's errors: an engine that never answered is "unavailable", an engine that
// answered with an HTTP status is not.
import { afterEach, describe, expect, test, vi } from "vitest";
import { createDockerClient, dockerStatus, isEngineUnreachable, toBrowserVmError } from "../../src/browser-vms/docker/client.ts";
import { BrowserBackendUnavailableError, PortPoolExhaustedError } from "../../src/browser-vms/types.ts";

const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const http = (statusCode: number) => Object.assign(new Error(`(HTTP code ${statusCode})`), { statusCode });

describe("engine errors", () => {
  test.each(["ECONNREFUSED", "ENOENT", "EACCES", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH"])("%s → unreachable", (code) => {
    expect(isEngineUnreachable(withCode(code))).toBe(true);
    expect(toBrowserVmError(withCode(code))).toBeInstanceOf(BrowserBackendUnavailableError);
  });

  test("HTTP answers are not unreachable", () => {
    expect(isEngineUnreachable(http(500))).toBe(false);
    expect(dockerStatus(http(304))).toBe(304);
    expect(dockerStatus(new Error("x"))).toBeNull();
    const answered = http(404);
    expect(toBrowserVmError(answered)).toBe(answered);
  });

  test("our own errors pass through", () => {
    const exhausted = new PortPoolExhaustedError("webrtc");
    expect(toBrowserVmError(exhausted)).toBe(exhausted);
    expect(new BrowserBackendUnavailableError().message).toBe("Browser backend unavailable");
  });
});

describe("createDockerClient", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test("uses the configured address, not DOCKER_HOST from the env", () => {
    vi.stubEnv("DOCKER_HOST", "tcp://10.9.9.9:2375");
    const modem = createDockerClient("unix:///tmp/portal-docker/docker.sock").modem as unknown as { socketPath?: string; host?: string };
    expect(modem.socketPath).toBe("/tmp/portal-docker/docker.sock");
    expect(modem.host).toBeUndefined();
    vi.stubEnv("DOCKER_HOST", "unix:///var/run/other.sock");
    const tcp = createDockerClient("tcp://127.0.0.1:2375").modem as unknown as { socketPath?: string; host?: string; port?: string; protocol?: string };
    expect(tcp).toMatchObject({ host: "127.0.0.1", port: "2375", protocol: "http" });
    expect(tcp.socketPath).toBeUndefined();
  });
});
