// The load generator of `pnpm bench`: autocannon, run in a worker thread.
//
// Why a worker thread: the servers under test live in the main thread of the same process (the
// brief asks for one process). autocannon on that same event loop would steal time from the
// server and add its own per-request cost to every target alike, which squeezes the ratios
// towards 1.00. In a worker it has its own event loop and V8 heap and runs on the other core.
//
// Why our own bookkeeping instead of autocannon's summary: autocannon stops only on its 1-second
// tick (so a "5 s" run lasts 5 or 6 s) and reports latency percentiles, which cannot be merged
// across the rounds of a target. The worker therefore records every response's status and
// latency itself, up to an exact cutoff, posts them, and is terminated at once (which also drops
// the connections). Responses still in flight at the cutoff are not counted; their rows are still
// written, which main.ts accounts for when it checks the row counts.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

export interface LoadOptions {
  /** short target name, used in slugs: `bench-<target>-<n>` */
  target: string;
  url: string;
  /** request headers (cookie, content type) */
  headers: Record<string, string>;
  /** the JSON body of every request; `slug` is replaced per request */
  body: Record<string, unknown>;
  /**
   * The next <n> of the target's slugs, in shared memory (one Int32Array over a
   * SharedArrayBuffer, see newSlugCounter). Shared rather than passed by value because requests
   * built between the cutoff and the worker's termination are still sent: with a counter copied
   * back at the cutoff, the next load of the target would reuse their slugs and get 409s.
   */
  slugCounter: Int32Array;
  connections: number;
  durationMs: number;
}

export interface LoadResult {
  target: string;
  /** measured wall time, from the first connection to the cutoff */
  elapsedMs: number;
  /** responses received before the cutoff, by status */
  statusCounts: Record<string, number>;
  responses: number;
  non2xx: number;
  /** connection errors and timeouts (autocannon's `reqError`) */
  errors: number;
  /** latency of every response received before the cutoff, in ms */
  latenciesMs: Float64Array;
  /** the first few non-2xx bodies and errors, to say what went wrong */
  samples: string[];
}

/** A slug counter for runLoad, starting at `first`. */
export function newSlugCounter(first: number): Int32Array {
  const counter = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  counter[0] = first;
  return counter;
}

const MAX_SAMPLES = 5;

/** Runs one bounded load in a fresh worker thread and resolves with what it measured. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  // tsx's loader hooks are not inherited by worker threads on Node 20, so the worker first
  // registers tsx itself and then imports this very file (which then takes the branch below).
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { benchLoad: options } });
  return new Promise<LoadResult>((resolve, reject) => {
    let settled = false;
    worker.once("message", (result: LoadResult) => {
      settled = true;
      // Terminate right away: it closes autocannon's sockets, so no load runs past the cutoff.
      void worker.terminate().then(() => resolve(result), reject);
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`load worker for ${options.target} exited with code ${code} before reporting`));
    });
  });
}

// ---- worker side ------------------------------------------------------------------------------

async function workerMain(options: LoadOptions): Promise<void> {
  // Loaded here, not at the top: the main thread never needs it. Types: autocannon.d.ts.
  const { default: autocannon } = await import("autocannon");

  const statusCounts: Record<string, number> = {};
  const samples: string[] = [];
  // Generously sized; grows if a very fast target needs more.
  let latencies = new Float64Array(65_536);
  let responses = 0;
  let non2xx = 0;
  let errors = 0;
  let measuring = true;

  const started = performance.now();
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    // autocannon's own stop is not used (see the top of the file); this is only a backstop.
    duration: Math.ceil(options.durationMs / 1000) + 5,
    timeout: 10,
    requests: [
      {
        method: "POST",
        headers: options.headers,
        // Called for every request on every connection: a fresh, unique slug each time.
        // `bench-<target>-<n>` stays within 2–32 characters of [a-z0-9-].
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ ...options.body, slug: `bench-${options.target}-${Atomics.add(options.slugCounter, 0, 1)}` }),
        }),
        // Keeps a few bodies of failed answers, to print what went wrong.
        onResponse: (status, body) => {
          if ((status < 200 || status > 299) && samples.length < MAX_SAMPLES && measuring) samples.push(`${status} ${body.slice(0, 300)}`);
        },
      },
    ],
  });

  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (!measuring) return;
    if (responses === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[responses++] = responseTime;
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    if (statusCode < 200 || statusCode > 299) non2xx++;
  });
  instance.on("reqError", (error) => {
    if (!measuring) return;
    errors++;
    if (samples.length < MAX_SAMPLES) samples.push(`error: ${error.message}`);
  });

  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  measuring = false;
  const elapsedMs = performance.now() - started;
  const result: LoadResult = {
    target: options.target,
    elapsedMs,
    statusCounts,
    responses,
    non2xx,
    errors,
    latenciesMs: latencies.slice(0, responses),
    samples,
  };
  parentPort!.postMessage(result, [result.latenciesMs.buffer as ArrayBuffer]);
  // The main thread terminates this worker on receipt; nothing else to do.
}

if (!isMainThread && (workerData as { benchLoad?: LoadOptions } | null)?.benchLoad) {
  void workerMain((workerData as { benchLoad: LoadOptions }).benchLoad).catch((error: unknown) => {
    // Surface the failure in the main thread through the worker's "error" event.
    throw error;
  });
}

// ---- statistics -------------------------------------------------------------------------------

/** The q-quantile (0–1) of ascending-sorted values, nearest-rank; NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Merges several runs of one target (the rounds) into one sorted latency array. */
export function mergeLatencies(runs: readonly LoadResult[]): Float64Array {
  const total = runs.reduce((sum, run) => sum + run.latenciesMs.length, 0);
  const merged = new Float64Array(total);
  let offset = 0;
  for (const run of runs) {
    merged.set(run.latenciesMs, offset);
    offset += run.latenciesMs.length;
  }
  return merged.sort();
}
