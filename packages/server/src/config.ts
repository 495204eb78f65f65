// The one place that reads the environment. Every variable is parsed and validated here; a bad
// value stops the start with a message that names the variable.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
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
});

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
  };
}
