// The real Express app on a loopback port, with its log lines captured for assertions.
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { PrismaClient } from "@portal/db";
import type { PortalConfig } from "@portal/server";
import { createApp, type AppDeps } from "../../apps/api/src/app.ts";
import { createLogger } from "../../apps/api/src/logger.ts";

export interface TestApp {
  url: string;
  /** every log line the app wrote, parsed */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** `deps`: services (a clock, browser VMs) or a rate-limit store to use instead of the defaults. */
export async function startTestApp(db: PrismaClient, config: PortalConfig, deps: Pick<AppDeps, "services" | "rateLimitStore"> = {}): Promise<TestApp> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = createApp({ db, config, logger: createLogger("info", sink), ...deps });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** fetch with the psession cookie; the body is sent as given (a string) or JSON-encoded. */
export async function request(
  url: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.cookie = `psession=${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(url, { method: options.method ?? (body === undefined ? "GET" : "POST"), headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export interface SetCookie {
  name: string;
  value: string;
  /** lower-cased attribute name → value ("" for flags such as HttpOnly) */
  attributes: Map<string, string>;
}

/** A Set-Cookie header's name, value and attributes, or null without one. */
export function parseSetCookie(header: string | null): SetCookie | null {
  if (header === null) return null;
  const [pair = "", ...parts] = header.split(";").map((part) => part.trim());
  const separator = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const [key = "", ...value] = part.split("=");
    attributes.set(key.toLowerCase(), value.join("="));
  }
  return { name: pair.slice(0, separator), value: pair.slice(separator + 1), attributes };
}
