// A started VM is ready when Docker reports it healthy (neko images ship a HEALTHCHECK) or neko
// answers GET /health on the chat's host port, whichever comes first. No exec probes: they need
// tools in the image and cost a process per try.

export interface ContainerHealth {
  running: boolean;
  /** Docker's health status, null when the image has no HEALTHCHECK */
  health: string | null;
}

export interface ReadinessProbe {
  /** e.g. http://127.0.0.1:18001 */
  nekoApiBase: string;
  inspect: () => Promise<ContainerHealth>;
  timeoutMs: number;
}

const INSPECT_EVERY = 5;

export class ReadinessTimeoutError extends Error {
  override name = "ReadinessTimeoutError";
}

/** True when GET <base>/health answers 2xx within a second. */
export async function nekoAnswersHealth(nekoApiBase: string): Promise<boolean> {
  try {
    const response = await fetch(`${nekoApiBase}/health`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Resolves with the milliseconds waited; throws ReadinessTimeoutError when the VM exits or the time is up. */
export async function waitForVmReady(probe: ReadinessProbe): Promise<number> {
  const startedAt = performance.now();
  const elapsed = () => performance.now() - startedAt;
  for (let attempt = 0; ; attempt++) {
    if (await nekoAnswersHealth(probe.nekoApiBase)) return elapsed();
    // Docker is asked less often than neko: one inspect per few HTTP tries is enough to notice an exit
    if (attempt % INSPECT_EVERY === INSPECT_EVERY - 1) {
      const state = await probe.inspect();
      if (!state.running) throw new ReadinessTimeoutError("the container exited");
      if (state.health === "healthy") return elapsed();
    }
    if (elapsed() >= probe.timeoutMs) throw new ReadinessTimeoutError(`neko did not answer within ${probe.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 250)));
  }
}
