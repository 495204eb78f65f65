// The container a chat's browser VM runs in (§4): image from the browser → image map, name from
// the chat id, labels, neko v3 environment only (any v2 name would switch neko to legacy mode),
// fresh secrets per start, SYS_ADMIN, limits, restart policy, and host or bridge networking.
import { randomBytes } from "node:crypto";
import type Dockerode from "dockerode";
import type { BrowserVmsConfig } from "../../config.ts";
import type { BrowserVmChat } from "../types.ts";
import { serializeVmLabels } from "./labels.ts";
import type { ChatPorts } from "./ports.ts";

/** neko listens here inside the container in bridge mode (the images' own default). */
export const NEKO_CONTAINER_HTTP_PORT = 8080;

/** Never logged, never returned by the API; they live in the container env and in memory. */
export interface VmSecrets {
  apiToken: string;
  userPassword: string;
  adminPassword: string;
}

export const nekoEnvName = {
  bind: "NEKO_SERVER_BIND",
  proxy: "NEKO_SERVER_PROXY",
  screen: "NEKO_DESKTOP_SCREEN",
  memberProvider: "NEKO_MEMBER_PROVIDER",
  userPassword: "NEKO_MEMBER_MULTIUSER_USER_PASSWORD",
  adminPassword: "NEKO_MEMBER_MULTIUSER_ADMIN_PASSWORD",
  apiToken: "NEKO_SESSION_API_TOKEN",
  iceLite: "NEKO_WEBRTC_ICELITE",
  epr: "NEKO_WEBRTC_EPR",
  udpMux: "NEKO_WEBRTC_UDPMUX",
  tcpMux: "NEKO_WEBRTC_TCPMUX",
  nat1to1: "NEKO_WEBRTC_NAT1TO1",
} as const;

const secret = () => randomBytes(24).toString("base64url");

export function newVmSecrets(): VmSecrets {
  return { apiToken: secret(), userPassword: secret(), adminPassword: secret() };
}

/** `<instance>-chat-<id>`: from the chat id only, never from user text. */
export function vmContainerName(instance: string, chatId: number): string {
  return `${instance}-chat-${chatId}`;
}

/** Where the server reaches the chat's neko HTTP API: always a host port, never a bridge address. */
export function nekoApiBase(config: Pick<BrowserVmsConfig, "hostAddress">, httpPort: number): string {
  const address = config.hostAddress === "0.0.0.0" ? "127.0.0.1" : config.hostAddress === "::" ? "::1" : config.hostAddress;
  return `http://${address.includes(":") ? `[${address}]` : address}:${httpPort}`;
}

export function nekoEnv(config: BrowserVmsConfig, ports: ChatPorts, secrets: VmSecrets): string[] {
  const hostAddress = config.hostAddress.includes(":") ? `[${config.hostAddress}]` : config.hostAddress;
  // host mode: neko shares the host's network, so it binds the chat's own port, not 8080
  const bind = config.networkMode === "host" ? `${hostAddress}:${ports.http}` : `:${NEKO_CONTAINER_HTTP_PORT}`;
  const webrtc: Record<string, string> = config.webrtcMux
    ? { [nekoEnvName.udpMux]: String(ports.webrtc.min), [nekoEnvName.tcpMux]: String(ports.webrtc.min) }
    : { [nekoEnvName.epr]: `${ports.webrtc.min}-${ports.webrtc.max}` };
  const env: Record<string, string> = {
    [nekoEnvName.bind]: bind,
    [nekoEnvName.proxy]: "true",
    [nekoEnvName.screen]: config.screen,
    [nekoEnvName.memberProvider]: "multiuser",
    [nekoEnvName.userPassword]: secrets.userPassword,
    [nekoEnvName.adminPassword]: secrets.adminPassword,
    [nekoEnvName.apiToken]: secrets.apiToken,
    [nekoEnvName.iceLite]: "true",
    ...webrtc,
    ...(config.nat1to1.length > 0 ? { [nekoEnvName.nat1to1]: config.nat1to1.join(",") } : {}),
  };
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

/** The secrets written by nekoEnv, read back from `inspect().Config.Env` after a server restart. */
export function readVmSecrets(env: readonly string[] | null | undefined): VmSecrets | null {
  const values = new Map<string, string>();
  for (const entry of env ?? []) {
    const equals = entry.indexOf("=");
    if (equals > 0) values.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  const apiToken = values.get(nekoEnvName.apiToken);
  const userPassword = values.get(nekoEnvName.userPassword);
  const adminPassword = values.get(nekoEnvName.adminPassword);
  return apiToken && userPassword && adminPassword ? { apiToken, userPassword, adminPassword } : null;
}

export interface VmSpecInput {
  config: BrowserVmsConfig;
  chat: BrowserVmChat;
  image: string;
  ports: ChatPorts;
  secrets: VmSecrets;
}

export function vmContainerSpec({ config, chat, image, ports, secrets }: VmSpecInput): Dockerode.ContainerCreateOptions {
  const name = vmContainerName(config.instance, chat.id);
  const webrtcPorts = Array.from({ length: ports.webrtc.max - ports.webrtc.min + 1 }, (_, index) => ports.webrtc.min + index);
  const webrtcKeys = webrtcPorts.flatMap((port) => (config.webrtcMux ? [`${port}/udp`, `${port}/tcp`] : [`${port}/udp`]));
  const publish = (hostPort: number) => [{ HostIp: config.hostAddress, HostPort: String(hostPort) }];
  const bridge = config.networkMode === "bridge";

  return {
    name,
    Hostname: name,
    Image: image,
    Env: nekoEnv(config, ports, secrets),
    Labels: serializeVmLabels({
      instance: config.instance,
      chatId: chat.id,
      browser: chat.browser,
      image,
      webrtcPorts: ports.webrtc,
      webrtcMux: config.webrtcMux,
      httpPort: ports.http,
      networkMode: config.networkMode,
      startUrl: chat.startUrl,
      kiosk: chat.kiosk,
    }),
    ...(bridge
      ? { ExposedPorts: Object.fromEntries([`${NEKO_CONTAINER_HTTP_PORT}/tcp`, ...webrtcKeys].map((key) => [key, {}])) }
      : {}),
    HostConfig: {
      NetworkMode: config.networkMode,
      ...(bridge
        ? {
            PortBindings: {
              [`${NEKO_CONTAINER_HTTP_PORT}/tcp`]: publish(ports.http),
              ...Object.fromEntries(webrtcKeys.map((key) => [key, publish(Number.parseInt(key, 10))])),
            },
          }
        : {}),
      // the browsers' sandbox needs it (neko's documented requirement)
      CapAdd: ["SYS_ADMIN"],
      ShmSize: config.shmSizeBytes,
      ...(config.memoryBytes === null ? {} : { Memory: config.memoryBytes }),
      ...(config.cpus === null ? {} : { NanoCpus: Math.round(config.cpus * 1e9) }),
      // a running VM comes back after an engine restart; a stopped one stays stopped
      RestartPolicy: { Name: "unless-stopped" },
    },
  };
}
