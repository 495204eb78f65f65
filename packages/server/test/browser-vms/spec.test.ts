// The container spec: neko v3 environment names only (one v2 name would switch neko to legacy
// mode), fresh secrets per start, limits, capability, restart policy, host or bridge networking.
import { describe, expect, test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { nekoApiBase, nekoEnv, newVmSecrets, readVmSecrets, vmContainerName, vmContainerSpec } from "../../src/browser-vms/docker/spec.ts";
import { parseVmLabels } from "../../src/browser-vms/docker/labels.ts";

const chat = { id: 7, browser: "firefox", startUrl: null, kiosk: false };
const ports = { webrtc: { min: 59010, max: 59019 }, http: 18002 };
const secrets = { apiToken: "token-t", userPassword: "user-p", adminPassword: "admin-p" };
const configFor = (env: Record<string, string> = {}) => loadConfig(env, "/").browserVms;

const envNames = (env: string[]) => env.map((entry) => entry.slice(0, entry.indexOf("=")));
const envMap = (env: string[]) => Object.fromEntries(env.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));

// neko v2 names (neko-rooms' toEnvV2); none may appear
const legacyNames = ["NEKO_BIND", "NEKO_PASSWORD", "NEKO_PASSWORD_ADMIN", "NEKO_SCREEN", "NEKO_MAX_FPS", "NEKO_EPR", "NEKO_UDPMUX", "NEKO_TCPMUX", "NEKO_NAT1TO1", "NEKO_ICELITE", "NEKO_PROXY"];

describe("neko environment", () => {
  test("EPR mode: exactly the v3 names of §4", () => {
    const env = nekoEnv(configFor(), ports, secrets);
    expect(envNames(env).sort()).toEqual(
      [
        "NEKO_SERVER_BIND",
        "NEKO_SERVER_PROXY",
        "NEKO_DESKTOP_SCREEN",
        "NEKO_MEMBER_PROVIDER",
        "NEKO_MEMBER_MULTIUSER_USER_PASSWORD",
        "NEKO_MEMBER_MULTIUSER_ADMIN_PASSWORD",
        "NEKO_SESSION_API_TOKEN",
        "NEKO_WEBRTC_ICELITE",
        "NEKO_WEBRTC_EPR",
      ].sort(),
    );
    expect(envMap(env)).toMatchObject({
      NEKO_SERVER_BIND: ":8080",
      NEKO_SERVER_PROXY: "true",
      NEKO_DESKTOP_SCREEN: "1920x1080@30",
      NEKO_MEMBER_PROVIDER: "multiuser",
      NEKO_WEBRTC_ICELITE: "true",
      NEKO_WEBRTC_EPR: "59010-59019",
      NEKO_SESSION_API_TOKEN: "token-t",
    });
    for (const name of legacyNames) expect(envNames(env)).not.toContain(name);
  });

  test("mux mode: UDPMUX and TCPMUX on one port, no EPR; NAT1TO1 when configured", () => {
    const env = envMap(nekoEnv(configFor({ PORTAL_WEBRTC_MUX: "true", PORTAL_NAT1TO1: "203.0.113.7, 198.51.100.2" }), { webrtc: { min: 59005, max: 59005 }, http: 18000 }, secrets));
    expect(env).toMatchObject({ NEKO_WEBRTC_UDPMUX: "59005", NEKO_WEBRTC_TCPMUX: "59005", NEKO_WEBRTC_NAT1TO1: "203.0.113.7,198.51.100.2" });
    expect(env).not.toHaveProperty("NEKO_WEBRTC_EPR");
    for (const name of legacyNames) expect(env).not.toHaveProperty(name);
  });

  test("host mode binds the chat's own HTTP port on the host address", () => {
    expect(envMap(nekoEnv(configFor({ PORTAL_VM_NETWORK_MODE: "host" }), ports, secrets)).NEKO_SERVER_BIND).toBe("127.0.0.1:18002");
  });
});

describe("secrets", () => {
  test("fresh and different at each start", () => {
    const a = newVmSecrets();
    const b = newVmSecrets();
    expect(new Set([a.apiToken, a.userPassword, a.adminPassword, b.apiToken, b.userPassword, b.adminPassword]).size).toBe(6);
    expect(a.apiToken).toMatch(/^[\w-]{32}$/);
  });

  test("read back from the container env", () => {
    const env = nekoEnv(configFor(), ports, secrets);
    expect(readVmSecrets(["PATH=/bin", ...env])).toEqual(secrets);
    expect(readVmSecrets(["PATH=/bin"])).toBeNull();
    expect(readVmSecrets(undefined)).toBeNull();
  });
});

describe("container spec", () => {
  test("bridge mode: name, labels, limits, capability, restart policy, published ports", () => {
    const config = configFor({ PORTAL_INSTANCE: "staging", PORTAL_VM_MEMORY: "2g", PORTAL_VM_CPUS: "1.5", PORTAL_VM_HOST_ADDRESS: "0.0.0.0" });
    const spec = vmContainerSpec({ config, chat, image: "ghcr.io/m1k1o/neko/firefox:latest", ports, secrets });
    expect(spec.name).toBe("staging-chat-7");
    expect(vmContainerName("portal", 12)).toBe("portal-chat-12");
    expect(parseVmLabels(spec.Labels)).toMatchObject({ instance: "staging", chatId: 7, webrtcPorts: ports.webrtc, httpPort: 18002, networkMode: "bridge" });
    expect(spec.HostConfig).toMatchObject({
      NetworkMode: "bridge",
      CapAdd: ["SYS_ADMIN"],
      ShmSize: 2 * 1024 ** 3,
      Memory: 2 * 1024 ** 3,
      NanoCpus: 1_500_000_000,
      RestartPolicy: { Name: "unless-stopped" },
    });
    const bindings = spec.HostConfig?.PortBindings as Record<string, Array<{ HostIp: string; HostPort: string }>>;
    expect(bindings["8080/tcp"]).toEqual([{ HostIp: "0.0.0.0", HostPort: "18002" }]);
    expect(bindings["59010/udp"]).toEqual([{ HostIp: "0.0.0.0", HostPort: "59010" }]);
    expect(Object.keys(bindings)).toHaveLength(11);
    expect(Object.keys(spec.ExposedPorts ?? {})).toHaveLength(11);
    expect(nekoApiBase(config, 18002)).toBe("http://127.0.0.1:18002");
  });

  test("mux mode publishes the one port for UDP and TCP", () => {
    const spec = vmContainerSpec({ config: configFor({ PORTAL_WEBRTC_MUX: "1" }), chat, image: "i", ports: { webrtc: { min: 59000, max: 59000 }, http: 18000 }, secrets });
    expect(Object.keys(spec.HostConfig?.PortBindings ?? {}).sort()).toEqual(["59000/tcp", "59000/udp", "8080/tcp"]);
  });

  test("host mode publishes nothing and sets no limits that were not configured", () => {
    const spec = vmContainerSpec({ config: configFor({ PORTAL_VM_NETWORK_MODE: "host" }), chat, image: "i", ports, secrets });
    expect(spec.HostConfig?.NetworkMode).toBe("host");
    expect(spec.HostConfig).not.toHaveProperty("PortBindings");
    expect(spec.HostConfig).not.toHaveProperty("Memory");
    expect(spec.HostConfig).not.toHaveProperty("NanoCpus");
    expect(spec).not.toHaveProperty("ExposedPorts");
  });

  test("the start URL and kiosk flag travel as labels (neko has no env for them)", () => {
    const spec = vmContainerSpec({ config: configFor(), chat: { ...chat, startUrl: "https://example.org/x", kiosk: true }, image: "i", ports, secrets });
    expect(parseVmLabels(spec.Labels)).toMatchObject({ startUrl: "https://example.org/x", kiosk: true });
  });
});
