/**
 * A Docker engine and a neko stand-in image for the browser-VM tests (PLATFORM.md, "Docker engine").
 *
 * - `findOrStartDockerEngine()`: the engine at DOCKER_HOST (an error if it does not answer); else
 *   one already answering on /tmp/portal-docker/docker.sock; else, as root with `dockerd`
 *   installed, a private dockerd on that socket (data in /tmp/portal-docker, no bridge, no
 *   iptables), left running for later runs; else null.
 * - `ensureStandInImage()`: builds `portal/neko-stand-in:test` once per engine from busybox-static:
 *   `busybox httpd` serving /health and /api/sessions (`[]`) on the address in NEKO_SERVER_BIND,
 *   like neko's HTTP API. No registry is needed.
 *
 * Talks to the Engine API with node:http only, so the root test folder needs no dockerode.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants as fsConstants, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** the engine for the Docker suites; null when none could be found or started (outside CI) */
    dockerHost: string | null;
  }
}

export const STAND_IN_IMAGE = "portal/neko-stand-in:test";
export const PRIVATE_ENGINE_DIR = "/tmp/portal-docker";
export const PRIVATE_ENGINE_HOST = `unix://${PRIVATE_ENGINE_DIR}/docker.sock`;

export interface DockerEngine {
  host: string;
  /** true when this call started the private dockerd */
  started: boolean;
}

type Log = (line: string) => void;

interface EngineResponse {
  status: number;
  body: string;
}

/** One Engine API call; `body` may be a stream (e.g. a tar). */
export function engineRequest(dockerHost: string, method: string, apiPath: string, body?: NodeJS.ReadableStream, timeoutMs = 10_000): Promise<EngineResponse> {
  const url = new URL(dockerHost);
  const target = url.protocol === "unix:" ? { socketPath: url.pathname } : { host: url.hostname, port: Number(url.port || 2375) };
  return new Promise((resolve, reject) => {
    const req = request({ ...target, method, path: apiPath, headers: body ? { "content-type": "application/x-tar" } : {} }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`Docker engine did not answer ${method} ${apiPath} within ${timeoutMs} ms`)));
    req.on("error", reject);
    if (body) {
      body.on("error", (error) => req.destroy(error));
      body.pipe(req);
    } else {
      req.end();
    }
  });
}

export async function pingEngine(dockerHost: string): Promise<boolean> {
  try {
    return (await engineRequest(dockerHost, "GET", "/_ping", undefined, 3_000)).status === 200;
  } catch {
    return false;
  }
}

/** Path of an executable `dockerd`, or null. */
export function findDockerd(): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/bin", "/usr/local/bin"]) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, "dockerd"), fsConstants.X_OK);
      return path.join(dir, "dockerd");
    } catch {
      // not here
    }
  }
  return null;
}

const PID_FILE = path.join(PRIVATE_ENGINE_DIR, "docker.pid");

/** A dockerd named by the pid file is still alive (starting up or shutting down). */
function privateDaemonAlive(): boolean {
  try {
    process.kill(Number(readFileSync(PID_FILE, "utf8").trim()), 0);
    return true;
  } catch {
    return false;
  }
}

function spawnPrivateDockerd(dockerd: string, logPath: string): ChildProcess {
  mkdirSync(PRIVATE_ENGINE_DIR, { recursive: true });
  const out = openSync(logPath, "a");
  const child = spawn(
    dockerd,
    [
      "--host", PRIVATE_ENGINE_HOST,
      "--data-root", path.join(PRIVATE_ENGINE_DIR, "data"),
      "--exec-root", path.join(PRIVATE_ENGINE_DIR, "exec"),
      "--pidfile", PID_FILE,
      "--bridge=none", "--iptables=false", "--ip-forward=false", "--ip-masq=false",
    ],
    { detached: true, stdio: ["ignore", out, out] },
  );
  closeSync(out);
  child.unref();
  return child;
}

/**
 * A dockerd started here is left running for later runs and for other test processes that use it
 * meanwhile (stopping it at teardown would pull the engine from under a concurrent run). Stop it
 * with `kill $(cat /tmp/portal-docker/docker.pid)`. CI starts and stops its own (.ci/run).
 */
export async function findOrStartDockerEngine(options: { log?: Log; startTimeoutMs?: number } = {}): Promise<DockerEngine | null> {
  const log = options.log ?? (() => {});

  const fromEnv = process.env.DOCKER_HOST;
  if (fromEnv) {
    if (!(await pingEngine(fromEnv))) throw new Error(`DOCKER_HOST is set (${fromEnv}) but no Docker engine answers there`);
    log(`using DOCKER_HOST ${fromEnv}`);
    return { host: fromEnv, started: false };
  }
  if (await pingEngine(PRIVATE_ENGINE_HOST)) {
    log(`reusing the engine on ${PRIVATE_ENGINE_HOST}`);
    return { host: PRIVATE_ENGINE_HOST, started: false };
  }
  const dockerd = findDockerd();
  if (!dockerd || process.getuid?.() !== 0) return null;

  // Another run may be starting or stopping the same private daemon: wait for it rather than race it.
  const logPath = path.join(PRIVATE_ENGINE_DIR, "dockerd.log");
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let child: ChildProcess | null = null;
  let childRunning = false;
  let spawns = 0;
  while (!(await pingEngine(PRIVATE_ENGINE_HOST))) {
    if (Date.now() > deadline || (!childRunning && spawns >= 3 && !privateDaemonAlive())) {
      const tail = readFileSync(logPath, "utf8").split("\n").slice(-15).join("\n");
      throw new Error(`dockerd did not come up on ${PRIVATE_ENGINE_HOST}:\n${tail}`);
    }
    if (!childRunning && !privateDaemonAlive()) {
      child = spawnPrivateDockerd(dockerd, logPath);
      childRunning = true;
      spawns++;
      child.once("exit", () => (childRunning = false));
      log(`starting dockerd (pid ${child.pid}) on ${PRIVATE_ENGINE_HOST}, log in ${logPath}; it stays running for later runs`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { host: PRIVATE_ENGINE_HOST, started: childRunning };
}

// The entrypoint stops httpd on SIGTERM: as PID 1 httpd itself would ignore it and every stop would wait for the kill.
const ENTRYPOINT = `#!/bin/sh
bind="\${NEKO_SERVER_BIND:-:8080}"
case "$bind" in :*) bind="\${bind#:}" ;; esac
/bin/busybox httpd -f -p "$bind" -h /www &
httpd=$!
trap 'kill $httpd; exit 0' TERM INT
wait $httpd
`;

/** A statically linked busybox with httpd: the image has no libc for a dynamic one. */
function findBusybox(): string {
  for (const candidate of ["/bin/busybox", "/usr/bin/busybox"]) {
    const check = spawnSync(candidate, ["--list"], { encoding: "utf8" });
    if (check.status !== 0 || !check.stdout.includes("httpd")) continue;
    const ldd = spawnSync("ldd", [candidate], { encoding: "utf8" });
    if (/not a dynamic executable|statically linked/.test(`${ldd.stdout}${ldd.stderr}`)) return candidate;
  }
  throw new Error("a static busybox with httpd was not found: install it with `apt-get install -y busybox-static`");
}

/** Builds the stand-in image unless the engine has it already; returns its tag. */
export async function ensureStandInImage(dockerHost: string, options: { log?: Log } = {}): Promise<string> {
  const log = options.log ?? (() => {});
  if ((await engineRequest(dockerHost, "GET", `/images/${STAND_IN_IMAGE}/json`)).status === 200) return STAND_IN_IMAGE;

  const busybox = findBusybox();
  const root = mkdtempSync(path.join(tmpdir(), "neko-stand-in-"));
  try {
    mkdirSync(path.join(root, "bin"));
    mkdirSync(path.join(root, "tmp"));
    mkdirSync(path.join(root, "www/api"), { recursive: true });
    copyFileSync(busybox, path.join(root, "bin/busybox"));
    chmodSync(path.join(root, "bin/busybox"), 0o755);
    const applets = spawnSync(busybox, ["--list"], { encoding: "utf8" }).stdout.split("\n").filter((name) => /^[\w.[-]+$/.test(name) && name !== "busybox");
    for (const applet of applets) symlinkSync("busybox", path.join(root, "bin", applet));
    writeFileSync(path.join(root, "www/health"), "ok\n");
    writeFileSync(path.join(root, "www/api/sessions"), "[]\n");
    writeFileSync(path.join(root, "neko-stand-in"), ENTRYPOINT, { mode: 0o755 });

    const [repo, tag] = STAND_IN_IMAGE.split(":") as [string, string];
    const query = new URLSearchParams({ fromSrc: "-", repo, tag });
    query.append("changes", 'CMD ["/neko-stand-in"]');
    query.append("changes", "ENV PATH=/bin");
    const tar = spawn("tar", ["-C", root, "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
    const response = await engineRequest(dockerHost, "POST", `/images/create?${query}`, tar.stdout, 120_000);
    if (response.status !== 200 || /"error"/.test(response.body)) {
      throw new Error(`building ${STAND_IN_IMAGE} failed (HTTP ${response.status}): ${response.body.slice(0, 500)}`);
    }
    log(`built ${STAND_IN_IMAGE} (${applets.length} busybox applets)`);
    return STAND_IN_IMAGE;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The engine for a Docker test file: the one the global setup provided, or, when no global setup
 * provides `dockerHost` (the docker project is not configured), one found or started here.
 * Throws when there is none, so the suite fails loudly instead of skipping.
 */
export async function useTestDockerEngine(log: Log = (line) => console.log(`[docker] ${line}`)): Promise<DockerEngine> {
  const provided = inject("dockerHost");
  if (provided === null) {
    throw new Error("Docker suite NOT RUN: no Docker engine (see test/global-setup.docker.ts). Install docker.io and busybox-static, or set DOCKER_HOST.");
  }
  if (provided !== undefined) return { host: provided, started: false };
  const engine = await findOrStartDockerEngine({ log });
  if (!engine) {
    throw new Error("Docker suite NOT RUN: no DOCKER_HOST and no dockerd to start (apt-get install -y docker.io busybox-static, as root).");
  }
  await ensureStandInImage(engine.host, { log });
  return engine;
}
