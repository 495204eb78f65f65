// The one place that reads the environment. Every variable is parsed and validated here; a bad
// value stops the start with a message that names the variable.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { PortRange } from "./browser-vms/types.ts";
import { PermissionLevel, permissionLevelNames } from "./domain/levels.ts";

const defaultBrowsers = [
  "firefox",
  "chromium",
  "brave",
  "tor",
  "google-chrome",
  "microsoft-edge",
  "vivaldi",
  "opera",
  "waterfox",
  "ungoogled-chromium",
] as const;

/** browser name → neko image (§4); `tor` runs the tor-browser image. */
export const defaultBrowserImages: Readonly<Record<string, string>> = Object.fromEntries(
  defaultBrowsers.map((name) => [name, `ghcr.io/m1k1o/neko/${name === "tor" ? "tor-browser" : name}:latest`]),
);

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().min(1);
const count = z.coerce.number().int().min(0);

/** `59000-59999`, both ends included. */
const portRange = z
  .string()
  .regex(/^\d+-\d+$/, "must be a port range like 59000-59999")
  .transform((text): PortRange => {
    const [min, max] = text.split("-").map(Number) as [number, number];
    return { min, max };
  })
  .refine((range) => range.min >= 1 && range.max <= 65535 && range.min <= range.max, "must be min-max with 1 <= min <= max <= 65535");

const sizeUnits: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
/** Docker CLI style sizes (`512m`, `2g`, bare bytes), binary units. */
const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?[bkmg]?$/i, "must be a size like 512m or 2g")
  .transform((text) => Math.round(Number.parseFloat(text) * (sizeUnits[text.slice(-1).toLowerCase()] ?? 1)))
  .refine((bytes) => bytes >= 4 * 1024 ** 2, "must be at least 4m");

const ipAddress = z.union([z.ipv4(), z.ipv6()]);

/** `https://app.example.com[:port]`, normalised the way browsers send the Origin header. */
const origin = z.string().transform((text, issue) => {
  const url = URL.canParse(text) ? new URL(text) : null;
  const bare = url && ["http:", "https:"].includes(url.protocol) && url.pathname === "/" && !url.search && !url.hash && !url.username;
  if (bare) return url.origin;
  issue.addIssue({ code: "custom", message: `'${text}' is not an origin like https://app.example.com` });
  return z.NEVER;
});

const browserImages = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "browser names are lowercase letters, digits and hyphens"), z.string().min(1))
  .refine((map) => Object.keys(map).length > 0, "at least one browser is needed");

const envSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  PORTAL_DATA_DIR: z.string().min(1).default("./.data"),
  PORTAL_DB_POOL_SIZE: positiveInt.max(500).default(10),
  PORTAL_OFFICIAL_CHAT_MIN_LEVEL: z.enum(permissionLevelNames).default("owner"),
  PORTAL_SLOTS_PREMIUM: count.default(3),
  PORTAL_SLOTS_ADMIN: count.default(5),
  /** JSON object of browser name → image, or `@path/to/file.json` */
  PORTAL_BROWSER_IMAGES: z.string().optional(),
  /** the browser of a chat created without one; must be in the image map */
  PORTAL_DEFAULT_BROWSER: z.string().default("firefox"),
  /** Express "trust proxy" setting, for the client ip and the https check behind a proxy */
  PORTAL_TRUST_PROXY: z.string().default("loopback"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PORTAL_SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  /** Comma-separated origins (https://app.example.com) whose pages may send cookie-carrying mutations */
  PORTAL_ALLOWED_ORIGINS: z
    .string()
    .transform((text) => text.split(",").map((part) => part.trim()).filter((part) => part !== ""))
    .pipe(z.array(origin))
    .optional(),
  /** Requests per minute (§7); 0 turns a tier's limit off */
  PORTAL_RATE_LIMIT_LOGIN: count.default(20),
  PORTAL_RATE_LIMIT_ADMIN: count.default(60),
  PORTAL_RATE_LIMIT_AUTH: count.default(120),
  PORTAL_RATE_LIMIT_PUBLIC: count.default(120),
  /** The standard Docker client variable: unix:///path, tcp://host:port or http(s)://host:port */
  DOCKER_HOST: z.string().regex(/^(unix|tcp|https?):\/\/./, "must be unix:///path/to/docker.sock or tcp://host:port").optional(),
  /** Docker socket path; wins over DOCKER_HOST */
  PORTAL_DOCKER_SOCKET: z.string().startsWith("/", "must be an absolute path").optional(),
  /** Marks this deployment's containers: labels and names; two servers on one engine need different ones */
  PORTAL_INSTANCE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, "must be lowercase letters, digits, '_', '.' or '-'")
    .max(40)
    .default("portal"),
  PORTAL_VM_NETWORK_MODE: z.enum(["bridge", "host"]).default("bridge"),
  /** Where the chat's neko HTTP and WebRTC ports are published (bridge) or bound (host) */
  PORTAL_VM_HOST_ADDRESS: ipAddress.default("127.0.0.1"),
  PORTAL_VM_HTTP_PORTS: portRange.prefault("18000-18999"),
  PORTAL_WEBRTC_PORTS: portRange.prefault("59000-59999"),
  PORTAL_WEBRTC_PORTS_PER_CHAT: positiveInt.max(1000).default(10),
  /** One UDP + TCP port per chat instead of a range */
  PORTAL_WEBRTC_MUX: z.stringbool().default(false),
  PORTAL_VM_MEMORY: byteSize.optional(),
  PORTAL_VM_CPUS: z.coerce.number().positive().max(1024).optional(),
  PORTAL_VM_SHM_SIZE: byteSize.prefault("2g"),
  /** Comma-separated public addresses neko advertises for WebRTC */
  PORTAL_NAT1TO1: z
    .string()
    .transform((text) => text.split(",").map((part) => part.trim()).filter((part) => part !== ""))
    .pipe(z.array(ipAddress).min(1, "must list at least one address"))
    .optional(),
  PORTAL_VM_READY_TIMEOUT_MS: positiveInt.default(30_000),
  PORTAL_VM_STOP_TIMEOUT_S: count.max(3600).default(10),
  PORTAL_RECONCILE_INTERVAL_MS: positiveInt.min(1000).default(60_000),
  PORTAL_VM_SCREEN: z.string().regex(/^\d+x\d+@\d+$/, "must look like 1920x1080@30").default("1920x1080@30"),
});

/** How chats' browser VMs run on the Docker engine (§4). */
export interface BrowserVmsConfig {
  /** Docker Engine address, e.g. `unix:///var/run/docker.sock` or `tcp://10.0.0.5:2375` */
  dockerHost: string;
  instance: string;
  networkMode: "bridge" | "host";
  hostAddress: string;
  /** one neko HTTP port per chat: published from 8080 (bridge) or bound directly (host) */
  httpPorts: PortRange;
  webrtcPorts: PortRange;
  /** 1 in mux mode */
  webrtcPortsPerChat: number;
  webrtcMux: boolean;
  memoryBytes: number | null;
  cpus: number | null;
  shmSizeBytes: number;
  nat1to1: string[];
  readyTimeoutMs: number;
  stopTimeoutS: number;
  reconcileIntervalMs: number;
  screen: string;
}

export interface PortalConfig {
  host: string;
  port: number;
  /** null: the embedded PGlite database in `dataDir` */
  databaseUrl: string | null;
  dataDir: string;
  dbPoolSize: number;
  officialChatMinLevel: number;
  slotDefaults: { premium: number; admin: number };
  browserImages: Readonly<Record<string, string>>;
  browsers: readonly string[];
  defaultBrowser: string;
  trustProxy: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  shutdownTimeoutMs: number;
  /** origins besides the server's own whose cookie-carrying mutations are accepted */
  allowedOrigins: readonly string[];
  rateLimits: RateLimits;
  browserVms: BrowserVmsConfig;
}

/** Requests per minute per session or client ip (§7); 0: no limit. */
export interface RateLimits {
  /** authentication routes, auth.* */
  login: number;
  /** /v1/admin/*, admin.* */
  admin: number;
  /** every other route that needs a session */
  auth: number;
  /** the directory and health */
  public: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function parseBrowserImages(raw: string | undefined, cwd: string): Record<string, string> {
  if (raw === undefined || raw.trim() === "") return { ...defaultBrowserImages };
  const text = raw.startsWith("@") ? readFileSync(path.resolve(cwd, raw.slice(1)), "utf8") : raw;
  const parsed = browserImages.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
  return parsed.data;
}

/** Reads the configuration from `env` (default `process.env`). Throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PortalConfig {
  const blankToUndefined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  const vars = parsed.data;
  let images: Record<string, string>;
  try {
    images = parseBrowserImages(vars.PORTAL_BROWSER_IMAGES, cwd);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: PORTAL_BROWSER_IMAGES: ${(error as Error).message}`);
  }
  if (!(vars.PORTAL_DEFAULT_BROWSER in images)) {
    throw new ConfigError(
      `Invalid configuration: PORTAL_DEFAULT_BROWSER: '${vars.PORTAL_DEFAULT_BROWSER}' is not in the browser image map (${Object.keys(images).join(", ")}); ` +
        "set PORTAL_DEFAULT_BROWSER to one of them",
    );
  }
  return {
    host: vars.HOST,
    port: vars.PORT,
    databaseUrl: vars.DATABASE_URL ?? null,
    dataDir: path.resolve(cwd, vars.PORTAL_DATA_DIR),
    dbPoolSize: vars.PORTAL_DB_POOL_SIZE,
    officialChatMinLevel: PermissionLevel[vars.PORTAL_OFFICIAL_CHAT_MIN_LEVEL],
    slotDefaults: { premium: vars.PORTAL_SLOTS_PREMIUM, admin: vars.PORTAL_SLOTS_ADMIN },
    browserImages: images,
    browsers: Object.keys(images),
    defaultBrowser: vars.PORTAL_DEFAULT_BROWSER,
    trustProxy: vars.PORTAL_TRUST_PROXY,
    logLevel: vars.LOG_LEVEL,
    shutdownTimeoutMs: vars.PORTAL_SHUTDOWN_TIMEOUT_MS,
    allowedOrigins: vars.PORTAL_ALLOWED_ORIGINS ?? [],
    rateLimits: {
      login: vars.PORTAL_RATE_LIMIT_LOGIN,
      admin: vars.PORTAL_RATE_LIMIT_ADMIN,
      auth: vars.PORTAL_RATE_LIMIT_AUTH,
      public: vars.PORTAL_RATE_LIMIT_PUBLIC,
    },
    browserVms: browserVmsConfig(vars),
  };
}

function browserVmsConfig(vars: z.infer<typeof envSchema>): BrowserVmsConfig {
  const webrtcPortsPerChat = vars.PORTAL_WEBRTC_MUX ? 1 : vars.PORTAL_WEBRTC_PORTS_PER_CHAT;
  const { PORTAL_WEBRTC_PORTS: webrtc, PORTAL_VM_HTTP_PORTS: http } = vars;
  if (webrtc.max - webrtc.min + 1 < webrtcPortsPerChat) {
    throw new ConfigError("Invalid configuration: PORTAL_WEBRTC_PORTS_PER_CHAT: larger than the PORTAL_WEBRTC_PORTS range");
  }
  // Both pools are host ports in either network mode, so one port must never serve two chats' needs.
  if (webrtc.min <= http.max && http.min <= webrtc.max) {
    throw new ConfigError("Invalid configuration: PORTAL_VM_HTTP_PORTS: overlaps PORTAL_WEBRTC_PORTS");
  }
  return {
    dockerHost: vars.PORTAL_DOCKER_SOCKET ? `unix://${vars.PORTAL_DOCKER_SOCKET}` : (vars.DOCKER_HOST ?? "unix:///var/run/docker.sock"),
    instance: vars.PORTAL_INSTANCE,
    networkMode: vars.PORTAL_VM_NETWORK_MODE,
    hostAddress: vars.PORTAL_VM_HOST_ADDRESS,
    httpPorts: http,
    webrtcPorts: webrtc,
    webrtcPortsPerChat,
    webrtcMux: vars.PORTAL_WEBRTC_MUX,
    memoryBytes: vars.PORTAL_VM_MEMORY ?? null,
    cpus: vars.PORTAL_VM_CPUS ?? null,
    shmSizeBytes: vars.PORTAL_VM_SHM_SIZE,
    nat1to1: vars.PORTAL_NAT1TO1 ?? [],
    readyTimeoutMs: vars.PORTAL_VM_READY_TIMEOUT_MS,
    stopTimeoutS: vars.PORTAL_VM_STOP_TIMEOUT_S,
    reconcileIntervalMs: vars.PORTAL_RECONCILE_INTERVAL_MS,
    screen: vars.PORTAL_VM_SCREEN,
  };
}
