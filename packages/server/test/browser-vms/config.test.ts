// The browserVms section of the one config module: defaults, parsing, and errors naming the variable.
import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

const browserVms = (env: Record<string, string>) => loadConfig(env, "/").browserVms;

describe("browserVms config", () => {
  test("defaults", () => {
    expect(browserVms({})).toEqual({
      dockerHost: "unix:///var/run/docker.sock",
      instance: "portal",
      networkMode: "bridge",
      hostAddress: "127.0.0.1",
      httpPorts: { min: 18000, max: 18999 },
      webrtcPorts: { min: 59000, max: 59999 },
      webrtcPortsPerChat: 10,
      webrtcMux: false,
      memoryBytes: null,
      cpus: null,
      shmSizeBytes: 2 * 1024 ** 3,
      nat1to1: [],
      readyTimeoutMs: 30_000,
      stopTimeoutS: 10,
      reconcileIntervalMs: 60_000,
      screen: "1920x1080@30",
    });
  });

  test("every variable", () => {
    expect(
      browserVms({
        DOCKER_HOST: "tcp://10.0.0.5:2375",
        PORTAL_INSTANCE: "staging",
        PORTAL_VM_NETWORK_MODE: "host",
        PORTAL_VM_HOST_ADDRESS: "0.0.0.0",
        PORTAL_VM_HTTP_PORTS: "20000-20099",
        PORTAL_WEBRTC_PORTS: "50000-50999",
        PORTAL_WEBRTC_PORTS_PER_CHAT: "20",
        PORTAL_VM_MEMORY: "1.5g",
        PORTAL_VM_CPUS: "2",
        PORTAL_VM_SHM_SIZE: "512m",
        PORTAL_NAT1TO1: "203.0.113.7",
        PORTAL_VM_READY_TIMEOUT_MS: "5000",
        PORTAL_VM_STOP_TIMEOUT_S: "3",
        PORTAL_RECONCILE_INTERVAL_MS: "10000",
        PORTAL_VM_SCREEN: "1280x720@25",
      }),
    ).toEqual({
      dockerHost: "tcp://10.0.0.5:2375",
      instance: "staging",
      networkMode: "host",
      hostAddress: "0.0.0.0",
      httpPorts: { min: 20000, max: 20099 },
      webrtcPorts: { min: 50000, max: 50999 },
      webrtcPortsPerChat: 20,
      webrtcMux: false,
      memoryBytes: 1.5 * 1024 ** 3,
      cpus: 2,
      shmSizeBytes: 512 * 1024 ** 2,
      nat1to1: ["203.0.113.7"],
      readyTimeoutMs: 5000,
      stopTimeoutS: 3,
      reconcileIntervalMs: 10_000,
      screen: "1280x720@25",
    });
  });

  test("PORTAL_DOCKER_SOCKET wins over DOCKER_HOST", () => {
    expect(browserVms({ DOCKER_HOST: "tcp://10.0.0.5:2375", PORTAL_DOCKER_SOCKET: "/run/user/1000/docker.sock" }).dockerHost).toBe("unix:///run/user/1000/docker.sock");
  });

  test("mux mode takes one port per chat", () => {
    expect(browserVms({ PORTAL_WEBRTC_MUX: "true", PORTAL_WEBRTC_PORTS_PER_CHAT: "10" })).toMatchObject({ webrtcMux: true, webrtcPortsPerChat: 1 });
  });

  test.each([
    ["PORTAL_WEBRTC_PORTS", { PORTAL_WEBRTC_PORTS: "59999-59000" }],
    ["PORTAL_WEBRTC_PORTS", { PORTAL_WEBRTC_PORTS: "59000" }],
    ["PORTAL_VM_HTTP_PORTS", { PORTAL_VM_HTTP_PORTS: "0-10" }],
    ["PORTAL_VM_NETWORK_MODE", { PORTAL_VM_NETWORK_MODE: "overlay" }],
    ["PORTAL_WEBRTC_MUX", { PORTAL_WEBRTC_MUX: "maybe" }],
    ["PORTAL_VM_MEMORY", { PORTAL_VM_MEMORY: "lots" }],
    ["PORTAL_VM_SHM_SIZE", { PORTAL_VM_SHM_SIZE: "1k" }],
    ["PORTAL_VM_CPUS", { PORTAL_VM_CPUS: "-1" }],
    ["PORTAL_NAT1TO1", { PORTAL_NAT1TO1: "not-an-ip" }],
    ["PORTAL_INSTANCE", { PORTAL_INSTANCE: "Has Spaces" }],
    ["PORTAL_VM_SCREEN", { PORTAL_VM_SCREEN: "1080p" }],
    ["DOCKER_HOST", { DOCKER_HOST: "docker.local" }],
    ["PORTAL_DOCKER_SOCKET", { PORTAL_DOCKER_SOCKET: "docker.sock" }],
    ["PORTAL_WEBRTC_PORTS_PER_CHAT", { PORTAL_WEBRTC_PORTS: "59000-59004", PORTAL_WEBRTC_PORTS_PER_CHAT: "10" }],
    ["PORTAL_VM_HTTP_PORTS", { PORTAL_VM_HTTP_PORTS: "59000-59010" }],
  ])("%s invalid → ConfigError naming it", (name, env) => {
    expect(() => browserVms(env)).toThrowError(ConfigError);
    expect(() => browserVms(env)).toThrowError(name);
  });
});
