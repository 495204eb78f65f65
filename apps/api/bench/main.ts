// `pnpm bench` — what the REST adapter and tRPC cost over a hand-written Express handler, for
// "create an official chat", on the embedded PGlite database and on PostgreSQL, in one run.
//
// For each database: open a fresh one, start the real app (createApp: tRPC at /trpc, REST at /v1)
// and the hand-written baseline (hand-written.ts) on 127.0.0.1 ephemeral ports, check one request
// per target, warm up, then load each target for BENCH_DURATION seconds split into rounds, every
// other one in reverse order, so that drift (a growing table, a warming JIT, a busy neighbour)
// does not favour whichever target runs first. Rounds are merged: requests/s over the summed time,
// p50/p99 over all latencies. The load runs in a worker thread (load.ts says why).
//
// Environment: BENCH_DURATION (s per target, default 10), BENCH_CONNECTIONS (default 10),
// BENCH_WARMUP (s per target, default 2, not reported), BENCH_ROUNDS (default 4; even, so that
// every target runs as often first as last), BENCH_DATABASE_URL (an admin URL of a
// PostgreSQL server to use instead of a private throwaway cluster; a fresh database is created on
// it and dropped afterwards, as the tests do with TEST_DATABASE_URL).
//
// Besides req/s, p50/p99 and the req/s ratio, the table shows the main thread's CPU time per
// request ("server CPU µs/req"): on a busy machine req/s swings with whatever else runs, while CPU
// time per request varies much less, so it tells more reliably what each layer costs.
//
// Then, with a Docker engine, the browser-VM lifecycle (vm-lifecycle.ts): API start/stop against
// raw dockerode on the same container spec; BENCH_VMS=0 skips it.
//
// Exit status: 0 when every measured request got a 2xx (also when PostgreSQL is missing: then a
// NOTE says the run is embedded-only); 1 when a check failed or a measured run had errors, after
// printing everything, because such numbers are not comparable.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MEMORY, openDatabase, type Database } from "@portal/db";
import type { PortalConfig } from "@portal/server";
import type express from "express";
import { createTestUser, testConfig } from "../../../test/support/fixtures.ts";
import { createTestDatabase, dropTestDatabase, findPostgresBinaries, startPostgresCluster } from "../../../test/support/postgres-cluster.ts";
import { createApp } from "../src/app.ts";
import { createLogger } from "../src/logger.ts";
import { createHandWrittenApp, HAND_WRITTEN_PATH } from "./hand-written.ts";
import { mergeLatencies, newSlugCounter, quantile, runLoad, type LoadResult } from "./load.ts";
import { benchVmLifecycle, printVmLifecycle, type VmLifecycleResult } from "./vm-lifecycle.ts";
import { ensureStandInImage, findOrStartDockerEngine } from "../../../test/support/docker.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const RESULTS_FILE = path.join(REPO_ROOT, ".tmp", "bench", "results.json");
const REST_TARGET_RATIO = 0.85;
/** pause after each load, so requests still in flight at its cutoff finish before the next one */
const SETTLE_MS = 300;

// ---- settings ---------------------------------------------------------------------------------

function envNumber(name: string, fallback: number, check: (value: number) => boolean, rule: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) {
    console.error(`${name}=${raw}: ${rule}`);
    process.exit(2);
  }
  return value;
}

const settings = {
  durationSec: envNumber("BENCH_DURATION", 10, (v) => v >= 1, "must be a number of seconds, at least 1"),
  connections: envNumber("BENCH_CONNECTIONS", 10, (v) => Number.isInteger(v) && v >= 1 && v <= 200, "must be an integer from 1 to 200"),
  warmupSec: envNumber("BENCH_WARMUP", 2, (v) => v >= 0, "must be a number of seconds, 0 or more"),
  // Each target's time is split into this many rounds, alternately in forward and reverse order
  // (A B C, C B A, A B C, ...). More, shorter rounds spread a burst of outside CPU load (these
  // machines are shared) over all three targets instead of one.
  rounds: envNumber("BENCH_ROUNDS", 4, (v) => Number.isInteger(v) && v >= 2 && v % 2 === 0, "must be an even integer, at least 2"),
};

// ---- the three targets --------------------------------------------------------------------------

type TargetName = "rest" | "trpc" | "hand";

interface Target {
  name: TargetName;
  label: string;
  url: string;
  /** the ChatStatusResponse out of the target's answer (tRPC wraps it in result.data) */
  unwrap: (json: unknown) => unknown;
}

/** Every request creates this chat, with its own slug: a realistic body that every rule checks. */
const BODY = {
  name: "Bench chat",
  description: "Created by pnpm bench",
  allow_control_requests: true,
  browser_config: { browser: "chromium", start_url: "https://example.com/start", kiosk: false },
};

function targetsFor(appUrl: string, handUrl: string): Target[] {
  return [
    { name: "rest", label: "REST  POST /v1/admin/chats", url: `${appUrl}/v1/admin/chats`, unwrap: (json) => json },
    {
      name: "trpc",
      label: "tRPC  POST /trpc/admin.chats.create",
      url: `${appUrl}/trpc/admin.chats.create`,
      unwrap: (json) => (json as { result?: { data?: unknown } }).result?.data,
    },
    { name: "hand", label: `hand  POST ${HAND_WRITTEN_PATH}`, url: `${handUrl}${HAND_WRITTEN_PATH}`, unwrap: (json) => json },
  ];
}

// ---- helpers ------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function listen(app: express.Express): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { server, url: `http://127.0.0.1:${port}`, close };
}

/** Cleanup steps, run last-in first-out at the end or on Ctrl-C. */
const cleanups: (() => Promise<void> | void)[] = [];
/** Registers a cleanup step and returns a function that runs it early (and only once). */
function defer(step: () => Promise<void> | void): () => Promise<void> {
  cleanups.push(step);
  return async () => {
    const index = cleanups.lastIndexOf(step);
    if (index === -1) return;
    cleanups.splice(index, 1);
    await step();
  };
}
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop()!;
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${(error as Error).message}`);
    }
  }
}
// Ctrl-C reaches this process twice (from the terminal and relayed by tsx), and the PostgreSQL
// server too (same process group): handle the first, ignore repeats while cleaning up (a second
// default-handled SIGINT would kill the process before the temporary folders are removed).
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/**
 * CPU use, to tell a quiet machine from a shared, busy one: machine-wide busy time from
 * /proc/stat (Linux; null elsewhere) and this process's own (main thread and load workers).
 */
interface CpuSnapshot {
  at: number;
  machine: { busy: number; total: number } | null;
  processMicros: number;
}
function cpuSnapshot(): CpuSnapshot {
  let machine: CpuSnapshot["machine"] = null;
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0); // without guest time, counted in user
    machine = { busy: total - idle, total };
  } catch {
    machine = null;
  }
  const usage = process.cpuUsage();
  return { at: performance.now(), machine, processMicros: usage.user + usage.system };
}
/**
 * CPU time of the main thread alone, in ms: the servers under test, and for the embedded
 * database PGlite too, but not the load worker. Per request, it measures what a target costs and
 * is much less sensitive than req/s to how busy the machine is (not immune: a thread that keeps
 * being preempted runs on cold caches). Linux only (10 ms ticks); null elsewhere.
 */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // from field 3 (state) on
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, USER_HZ = 100
  } catch {
    return null;
  }
}

/** Cores busy between two snapshots: the whole machine and this process. */
function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): { machineCores: number | null; processCores: number } {
  const seconds = (b.at - a.at) / 1000;
  const machineCores =
    a.machine && b.machine && b.machine.total > a.machine.total
      ? ((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * cpus().length
      : null;
  return { machineCores, processCores: (b.processMicros - a.processMicros) / 1e6 / seconds };
}

const problems: string[] = [];
const notes: string[] = [];

// ---- one database -------------------------------------------------------------------------------

/**
 * The test configuration, with the rate limits (§7: 60 admin calls per minute per session) lifted
 * out of reach rather than switched off (0), so that the limiter still does its per-request work
 * in the app, as in production, but never answers 429 to the benchmark.
 */
function benchConfig(): PortalConfig {
  const config = testConfig();
  const lifted = Object.fromEntries(Object.keys(config.rateLimits).map((tier) => [tier, 1_000_000_000]));
  return { ...config, rateLimits: lifted as unknown as PortalConfig["rateLimits"] };
}

interface TargetReport {
  name: TargetName;
  label: string;
  requests: number;
  elapsedSec: number;
  requestsPerSec: number;
  roundsPerSec: number[];
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  statusCounts: Record<string, number>;
  samples: string[];
  ratioToHandWritten: number;
  /** main-thread CPU per answered request, µs (null where /proc is missing) */
  serverCpuMicrosPerRequest: number | null;
}

interface DatabaseReport {
  kind: "embedded" | "postgres";
  title: string;
  targets: TargetReport[];
  rows: Record<TargetName, { written: number; counted2xx: number }>;
  warmupErrors: number;
  /** cores busy during the measured rounds: the machine, and this process (server + load) */
  cpu: { machineCores: number | null; processCores: number };
}

/** The shape check of one answer: ChatStatusResponse with everything but chat_id/slug fixed. */
function normalise(answer: unknown): string {
  const { chat_id, slug, ...rest } = answer as Record<string, unknown>;
  return JSON.stringify({ chat_id: typeof chat_id, slug: typeof slug === "string" ? slug.replace(/^bench-[a-z]+-/, "bench-*-") : slug, ...rest });
}

async function benchDatabase(kind: DatabaseReport["kind"], title: string, db: Database): Promise<DatabaseReport> {
  console.log(`\n${title}: preparing`);
  const config = benchConfig();
  const owner = await createTestUser(db.prisma, { level: "owner", username: "bench_owner" });

  const app = await listen(createApp({ db: db.prisma, config, logger: createLogger("silent") }));
  const closeApp = defer(app.close);
  const hand = await listen(createHandWrittenApp({ db: db.prisma, config }));
  const closeHand = defer(hand.close);

  const targets = targetsFor(app.url, hand.url);
  const headers = { cookie: `psession=${owner.token}`, "content-type": "application/json" };
  // <n> of `bench-<target>-<n>`: 0 is the check request, the loads count up from 1.
  const slugCounters: Record<TargetName, Int32Array> = { rest: newSlugCounter(1), trpc: newSlugCounter(1), hand: newSlugCounter(1) };
  const counted2xx: Record<TargetName, number> = { rest: 0, trpc: 0, hand: 0 };

  // 1. One request per target: all three must answer 200 with the same ChatStatusResponse.
  //    (This is also where the tRPC body format is confirmed: the input JSON itself.)
  const shapes = new Map<string, TargetName[]>();
  for (const target of targets) {
    const response = await fetch(target.url, { method: "POST", headers, body: JSON.stringify({ ...BODY, slug: `bench-${target.name}-0` }) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${target.label}: the check request answered ${response.status}: ${text.slice(0, 500)}`);
    counted2xx[target.name]++;
    const shape = normalise(target.unwrap(JSON.parse(text)));
    shapes.set(shape, [...(shapes.get(shape) ?? []), target.name]);
  }
  if (shapes.size !== 1) {
    throw new Error(`the targets answer differently:\n${[...shapes].map(([shape, names]) => `  ${names.join(", ")}: ${shape}`).join("\n")}`);
  }
  console.log(`${title}: each target answered 200 with the same ChatStatusResponse`);

  const serverCpuMs: Record<TargetName, number | null> = { rest: 0, trpc: 0, hand: 0 };
  const load = async (target: Target, durationMs: number, measured = true): Promise<LoadResult> => {
    const cpuBefore = mainThreadCpuMs();
    const result = await runLoad({
      target: target.name,
      url: target.url,
      headers,
      body: BODY,
      slugCounter: slugCounters[target.name],
      connections: settings.connections,
      durationMs,
    });
    counted2xx[target.name] += result.responses - result.non2xx;
    await sleep(SETTLE_MS);
    // Includes finishing the requests in flight at the cutoff (settled above): a few per load,
    // the same for every target.
    const cpuAfter = mainThreadCpuMs();
    if (measured) {
      const spent = serverCpuMs[target.name];
      serverCpuMs[target.name] = spent === null || cpuBefore === null || cpuAfter === null ? null : spent + cpuAfter - cpuBefore;
    }
    return result;
  };

  // 2. Warm-up: JIT, connection pools, Prisma's query plans. Not reported, but errors are.
  let warmupErrors = 0;
  if (settings.warmupSec > 0) {
    console.log(`${title}: warm-up, ${settings.warmupSec} s per target`);
    for (const target of targets) {
      const result = await load(target, settings.warmupSec * 1000, false);
      warmupErrors += result.non2xx + result.errors;
      if (result.non2xx + result.errors > 0) {
        problems.push(`${title}: warm-up of ${target.name} had ${result.non2xx} non-2xx and ${result.errors} errors: ${result.samples.join(" | ")}`);
      }
    }
  }

  // 3. The measurement: rounds of the three targets, alternately in order and in reverse order.
  const runs: Record<TargetName, LoadResult[]> = { rest: [], trpc: [], hand: [] };
  const roundMs = (settings.durationSec * 1000) / settings.rounds;
  const cpuBefore = cpuSnapshot();
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    const line: string[] = [];
    for (const target of order) {
      const result = await load(target, roundMs);
      runs[target.name].push(result);
      line.push(`${target.name} ${((result.responses * 1000) / result.elapsedMs).toFixed(0)} req/s`);
    }
    console.log(`${title}: round ${round + 1}: ${line.join(", ")}`);
  }
  const cpu = cpuBetween(cpuBefore, cpuSnapshot());

  // 4. Did the work happen? Every counted 2xx is a row; a few more rows come from requests that
  //    were still in flight at a cutoff (at most `connections` per load).
  const rows = {} as DatabaseReport["rows"];
  for (const target of targets) {
    const written = await db.prisma.chat.count({ where: { slug: { startsWith: `bench-${target.name}-` } } });
    rows[target.name] = { written, counted2xx: counted2xx[target.name] };
    if (written < counted2xx[target.name]) {
      problems.push(`${title}: ${target.name} answered ${counted2xx[target.name]} times 2xx but only ${written} chats exist`);
    }
  }

  // 5. Statistics over both rounds.
  const reports = targets.map((target): TargetReport => {
    const targetRuns = runs[target.name];
    const requests = targetRuns.reduce((sum, run) => sum + run.responses, 0);
    const elapsedSec = targetRuns.reduce((sum, run) => sum + run.elapsedMs, 0) / 1000;
    const latencies = mergeLatencies(targetRuns);
    const statusCounts: Record<string, number> = {};
    for (const run of targetRuns) for (const [status, n] of Object.entries(run.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + n;
    const report: TargetReport = {
      name: target.name,
      label: target.label,
      requests,
      elapsedSec,
      requestsPerSec: requests / elapsedSec,
      roundsPerSec: targetRuns.map((run) => (run.responses * 1000) / run.elapsedMs),
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      non2xx: targetRuns.reduce((sum, run) => sum + run.non2xx, 0),
      errors: targetRuns.reduce((sum, run) => sum + run.errors, 0),
      statusCounts,
      samples: targetRuns.flatMap((run) => run.samples).slice(0, 5),
      ratioToHandWritten: Number.NaN,
      serverCpuMicrosPerRequest: serverCpuMs[target.name] === null || requests === 0 ? null : (serverCpuMs[target.name]! * 1000) / requests,
    };
    if (report.non2xx + report.errors > 0 || requests === 0) {
      problems.push(`${title}: ${target.name} had ${report.non2xx} non-2xx answers and ${report.errors} errors (statuses ${JSON.stringify(statusCounts)}): ${report.samples.join(" | ")}`);
    }
    return report;
  });
  const baseline = reports.find((report) => report.name === "hand")!.requestsPerSec;
  for (const report of reports) report.ratioToHandWritten = report.requestsPerSec / baseline;

  await closeHand();
  await closeApp();
  return { kind, title, targets: reports, rows, warmupErrors, cpu };
}

// ---- printing -----------------------------------------------------------------------------------

function printTable(report: DatabaseReport): void {
  const header = ["target", "req/s", "rounds req/s", "p50 ms", "p99 ms", "errors", "vs hand-written", "server CPU µs/req"];
  const rows = report.targets.map((t) => [
    t.label,
    t.requestsPerSec.toFixed(1),
    t.roundsPerSec.map((r) => r.toFixed(0)).join(" / "),
    t.p50Ms.toFixed(2),
    t.p99Ms.toFixed(2),
    String(t.non2xx + t.errors),
    t.ratioToHandWritten.toFixed(2),
    t.serverCpuMicrosPerRequest === null ? "n/a" : t.serverCpuMicrosPerRequest.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  console.log(`\n== ${report.title} — ${settings.connections} connections, ${settings.durationSec} s per target (${settings.rounds} rounds, alternating order) ==`);
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(format(row));
  const flagged = report.targets.filter((t) => t.non2xx + t.errors > 0);
  for (const t of flagged) console.log(`!! ${t.name}: statuses ${JSON.stringify(t.statusCounts)}, ${t.errors} connection errors/timeouts; e.g. ${t.samples.join(" | ")}`);
  const rowsLine = report.targets.map((t) => `${t.name} ${report.rows[t.name].written} (2xx counted ${report.rows[t.name].counted2xx})`).join(", ");
  console.log(`chats written: ${rowsLine}`);
  // On a busy machine req/s swings with whatever else runs; CPU time per request much less.
  // hand CPU ÷ target CPU is what the req/s ratio would be if this thread were the only limit.
  const handCpu = report.targets.find((t) => t.name === "hand")?.serverCpuMicrosPerRequest ?? null;
  if (handCpu !== null) {
    const parts = report.targets
      .filter((t) => t.name !== "hand" && t.serverCpuMicrosPerRequest !== null)
      .map((t) => {
        const extra = t.serverCpuMicrosPerRequest! - handCpu;
        return `${t.name} ${extra >= 0 ? "+" : ""}${extra.toFixed(0)} µs (${((extra / handCpu) * 100).toFixed(0)}%, CPU-only ratio ${(handCpu / t.serverCpuMicrosPerRequest!).toFixed(2)})`;
      });
    console.log(`server CPU per request over hand-written: ${parts.join(", ")}`);
  }
  const { machineCores, processCores } = report.cpu;
  console.log(
    `CPU while measuring: this process ${processCores.toFixed(2)} cores (server + load worker)` +
      (machineCores === null ? "" : `, whole machine ${machineCores.toFixed(2)} of ${cpus().length} (the rest: ${report.kind === "postgres" ? "PostgreSQL and " : ""}other processes)`),
  );
}

// ---- main ---------------------------------------------------------------------------------------

const startedAt = new Date();
const loadAtStart = loadavg()[0]!;
if (loadAtStart > 0.5) {
  notes.push(
    `NOTE: the machine was busy when the benchmark started (1-minute load average ${loadAtStart.toFixed(2)} on ${cpus().length} cores): ` +
      "other processes compete for the CPU, so expect noisy numbers; compare the per-round columns and the CPU lines.",
  );
}
const reports: DatabaseReport[] = [];
let failed = false;

try {
  // Embedded PGlite in a throwaway data folder.
  {
    const tmp = mkdtempSync(path.join(tmpdir(), "portal-bench-"));
    const removeTmp = defer(() => rmSync(tmp, { recursive: true, force: true }));
    console.log("\nEmbedded PGlite: opening a fresh database in a temporary folder");
    const db = await openDatabase({ url: null, dataDir: path.join(tmp, "data"), migrate: true, role: "pnpm bench" });
    const closeDb = defer(() => db.close());
    reports.push(await benchDatabase("embedded", "Embedded PGlite", db));
    // Done with it: close and remove it now, before PostgreSQL takes the CPU.
    await closeDb();
    await removeTmp();
  }

  // PostgreSQL: BENCH_DATABASE_URL, or a private cluster on a free 127.0.0.1 port.
  let adminUrl = process.env.BENCH_DATABASE_URL || null;
  let where = "BENCH_DATABASE_URL";
  if (!adminUrl) {
    if (findPostgresBinaries()) {
      console.log("\nPostgreSQL: starting a private cluster");
      const cluster = await startPostgresCluster();
      defer(() => cluster.stop());
      adminUrl = cluster.url;
      where = "private cluster";
    } else {
      notes.push(
        "NOTE: PostgreSQL was NOT benchmarked: no server binaries (initdb, postgres) in /usr/lib/postgresql/*/bin, $PG_BINDIR or PATH, " +
          "and BENCH_DATABASE_URL is not set. Install them with `apt-get install -y postgresql` or set BENCH_DATABASE_URL. Embedded only.",
      );
    }
  }
  if (adminUrl) {
    const url = await createTestDatabase(adminUrl, `bench_${Date.now().toString(36)}`);
    defer(() => dropTestDatabase(adminUrl, url));
    const config = testConfig();
    const db = await openDatabase({ url, dataDir: MEMORY, migrate: true, poolSize: config.dbPoolSize });
    defer(() => db.close());
    reports.push(await benchDatabase("postgres", `PostgreSQL (${where}, pool ${config.dbPoolSize})`, db));
  }
} catch (error) {
  failed = true;
  problems.push(`the benchmark stopped: ${(error as Error).stack ?? String(error)}`);
} finally {
  await cleanUp();
}

// Browser-VM lifecycle (vm-lifecycle.ts), when a Docker engine can be had (BENCH_VMS=0 skips it).
let vmLifecycle: VmLifecycleResult | null = null;
if (process.env.BENCH_VMS !== "0") {
  try {
    const engine = await findOrStartDockerEngine({ log: (line) => console.log(`[docker] ${line}`) });
    if (engine) {
      await ensureStandInImage(engine.host);
      vmLifecycle = await benchVmLifecycle(engine.host, (line) => console.log(line));
    } else {
      notes.push("NOTE: no Docker engine (DOCKER_HOST, or dockerd as root): the browser-VM lifecycle part did not run.");
    }
  } catch (error) {
    failed = true;
    problems.push(`the browser-VM lifecycle benchmark stopped: ${(error as Error).stack ?? String(error)}`);
  }
}

for (const report of reports) printTable(report);
if (vmLifecycle) printVmLifecycle(vmLifecycle);

const postgres = reports.find((report) => report.kind === "postgres");
const restRatio = postgres?.targets.find((t) => t.name === "rest")?.ratioToHandWritten ?? null;

mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
writeFileSync(
  RESULTS_FILE,
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverageAtStart: loadAtStart,
      settings,
      body: BODY,
      handWrittenValidation: "plain hand-written check (not the zod schema)",
      databases: reports,
      restToHandWrittenOnPostgres: restRatio,
      vmLifecycle,
      restTarget: REST_TARGET_RATIO,
      problems,
      notes,
    },
    null,
    2,
  )}\n`,
);

console.log("");
for (const note of notes) console.log(note);
if (problems.length > 0) {
  console.log("FLAGGED — these numbers are not a clean measurement:");
  for (const problem of problems) console.log(`  - ${problem}`);
}
console.log(`results: ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}; total ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);
console.log(`REST/hand-written on PostgreSQL: ${restRatio === null ? "n/a (not run)" : restRatio.toFixed(2)} (target >= ${REST_TARGET_RATIO})`);
process.exit(failed || problems.length > 0 ? 1 : 0);
