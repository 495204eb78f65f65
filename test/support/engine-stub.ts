// Docker engines for health checks without Docker: one that answers GET /_ping on a Unix socket,
// and the address of one that does not exist. DockerBrowserVms talks to either like to a real one.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { DockerBrowserVms, type PortalConfig } from "@portal/server";

export interface EngineStub {
  dockerHost: string;
  close(): Promise<void>;
}

/** Answers `/_ping` (any API version prefix) with 200 OK, everything else with 404. */
export async function startPingingEngine(): Promise<EngineStub> {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-engine-"));
  const socketPath = path.join(dir, "docker.sock");
  const server = http.createServer((req, res) => {
    const ping = /^(\/v[\d.]+)?\/_ping$/.test(req.url ?? "");
    res.writeHead(ping ? 200 : 404, { "content-type": "text/plain", "api-version": "1.47" });
    res.end(ping ? "OK" : "not found");
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    dockerHost: `unix://${socketPath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}

/** A socket path where no engine listens. */
export const MISSING_ENGINE = "unix:///nonexistent/portal-test/docker.sock";

export function browserVmsAt(config: PortalConfig, dockerHost: string): DockerBrowserVms {
  return new DockerBrowserVms({ config: { ...config.browserVms, dockerHost }, browserImages: config.browserImages });
}
