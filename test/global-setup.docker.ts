/**
 * Vitest globalSetup: makes a Docker engine available to the Docker suites as
 * `inject('dockerHost')`, with the neko stand-in image built on it.
 *
 * - DOCKER_HOST set: that engine is used (an error if it does not answer).
 * - otherwise an engine already answering on /tmp/portal-docker/docker.sock is reused, or, as root
 *   with dockerd installed, one is started there and left running for later and concurrent runs.
 * - none: in CI (CI=true) this is an error; elsewhere `null` is provided with a loud warning and
 *   the Docker suites fail saying they did not run (never a silent skip).
 */
import type { TestProject } from "vitest/node";
import { ensureStandInImage, findOrStartDockerEngine } from "./support/docker.ts";

const log = (line: string) => console.log(`[docker] ${line}`);

export default async function setup(project: TestProject): Promise<void> {
  const engine = await findOrStartDockerEngine({ log });
  if (!engine) {
    if (process.env.CI === "true") {
      throw new Error(
        "A Docker engine is required in CI but none was found: DOCKER_HOST is not set, nothing answers on " +
          "unix:///tmp/portal-docker/docker.sock, and dockerd is not installed (or this is not root). Install it with " +
          "`apt-get install -y docker.io busybox-static` (Debian; .ci/run does this and starts dockerd), or set DOCKER_HOST.",
      );
    }
    console.warn(
      "\n[docker] !!! Docker engine NOT FOUND: the browser-VM Docker suites will fail as NOT RUN. " +
        "Install docker.io and busybox-static (as root; the setup then starts dockerd itself) or set DOCKER_HOST.\n",
    );
    project.provide("dockerHost", null);
    return;
  }
  await ensureStandInImage(engine.host, { log });
  project.provide("dockerHost", engine.host);
}
