// The label schema: containers are found back by these labels, never by name, and everything the
// server must know about a VM after a restart (except secrets, kept in the env) is written here.
import type { PortRange } from "../types.ts";

export const vmLabel = {
  managed: "org.portal.managed",
  /** ownership marker: every lookup filters on it */
  instance: "org.portal.instance",
  chatId: "org.portal.chat-id",
  browser: "org.portal.browser",
  image: "org.portal.image",
  /** WebRTC host ports `min-max` (one port in mux mode) */
  ports: "org.portal.ports",
  mux: "org.portal.webrtc-mux",
  httpPort: "org.portal.http-port",
  networkMode: "org.portal.network-mode",
  startUrl: "org.portal.start-url",
  kiosk: "org.portal.kiosk",
} as const;

export interface VmLabels {
  instance: string;
  chatId: number;
  browser: string;
  image: string;
  webrtcPorts: PortRange;
  webrtcMux: boolean;
  httpPort: number;
  networkMode: "bridge" | "host";
  startUrl: string | null;
  kiosk: boolean;
}

export function serializeVmLabels(vm: VmLabels): Record<string, string> {
  return {
    [vmLabel.managed]: "true",
    [vmLabel.instance]: vm.instance,
    [vmLabel.chatId]: String(vm.chatId),
    [vmLabel.browser]: vm.browser,
    [vmLabel.image]: vm.image,
    [vmLabel.ports]: `${vm.webrtcPorts.min}-${vm.webrtcPorts.max}`,
    [vmLabel.mux]: String(vm.webrtcMux),
    [vmLabel.httpPort]: String(vm.httpPort),
    [vmLabel.networkMode]: vm.networkMode,
    [vmLabel.kiosk]: String(vm.kiosk),
    ...(vm.startUrl === null ? {} : { [vmLabel.startUrl]: vm.startUrl }),
  };
}

const portNumber = (text: string | undefined): number | null => {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
};

export function parsePortRange(text: string | undefined): PortRange | null {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text ?? "");
  if (!match) return null;
  const min = portNumber(match[1]);
  const max = portNumber(match[2] ?? match[1]);
  return min !== null && max !== null && min <= max ? { min, max } : null;
}

/** The VM facts of a container, or null when its labels are missing or damaged (it is then left alone). */
export function parseVmLabels(labels: Readonly<Record<string, string>> | undefined): VmLabels | null {
  if (!labels) return null;
  const instance = labels[vmLabel.instance];
  const chatIdText = labels[vmLabel.chatId];
  const webrtcPorts = parsePortRange(labels[vmLabel.ports]);
  const httpPort = portNumber(labels[vmLabel.httpPort]);
  const networkMode = labels[vmLabel.networkMode];
  if (!instance || !chatIdText || !/^\d{1,15}$/.test(chatIdText)) return null;
  if (!webrtcPorts || httpPort === null || (networkMode !== "bridge" && networkMode !== "host")) return null;
  return {
    instance,
    chatId: Number(chatIdText),
    browser: labels[vmLabel.browser] ?? "",
    image: labels[vmLabel.image] ?? "",
    webrtcPorts,
    webrtcMux: labels[vmLabel.mux] === "true",
    httpPort,
    networkMode,
    startUrl: labels[vmLabel.startUrl] ?? null,
    kiosk: labels[vmLabel.kiosk] === "true",
  };
}

/** Docker `label` filter values for all containers of an instance, or of one chat in it. */
export function vmLabelFilter(instance: string, chatId?: number): string[] {
  const filter = [`${vmLabel.instance}=${instance}`];
  if (chatId !== undefined) filter.push(`${vmLabel.chatId}=${chatId}`);
  return filter;
}
