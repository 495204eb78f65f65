// Browser images on the engine: a missing one is pulled (progress in the log, one pull per image
// however many chats wait for it); a failed pull is ImageUnavailableError naming the image.
import type Dockerode from "dockerode";
import { ImageUnavailableError, type BrowserVmLogger } from "../types.ts";
import { dockerStatus, isEngineUnreachable } from "./client.ts";

const PULL_LOG_INTERVAL_MS = 2_000;

export class BrowserImages {
  private readonly pulls = new Map<string, Promise<void>>();

  constructor(
    private readonly docker: Dockerode,
    private readonly log: BrowserVmLogger,
  ) {}

  /** One pull per image at a time, however many chats start with it. */
  ensure(image: string): Promise<void> {
    let pull = this.pulls.get(image);
    if (!pull) {
      pull = this.pullIfMissing(image).finally(() => this.pulls.delete(image));
      this.pulls.set(image, pull);
    }
    return pull;
  }

  private async pullIfMissing(image: string): Promise<void> {
    if (await this.hasImage(image)) return;
    this.log.info({ image }, "pulling browser image");
    const began = performance.now();
    try {
      const stream = await this.docker.pull(image);
      await this.followPull(image, stream);
    } catch (error) {
      if (isEngineUnreachable(error)) throw error;
      this.log.error({ image, err: (error as Error).message }, "browser image pull failed");
      throw new ImageUnavailableError(image, { cause: error });
    }
    if (!(await this.hasImage(image))) throw new ImageUnavailableError(image);
    this.log.info({ image, ms: Math.round(performance.now() - began) }, "browser image pulled");
  }

  private async hasImage(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (error) {
      if (dockerStatus(error) === 404) return false;
      throw error;
    }
  }

  /** Waits for the pull to end, logging progress every few seconds; an error line fails it. */
  private followPull(image: string, stream: NodeJS.ReadableStream): Promise<void> {
    const layers = new Map<string, { current: number; total: number; done: boolean }>();
    let lastLog = performance.now();
    return new Promise((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null, output: Array<{ error?: string }>) => {
          const failure = error ?? output.find((line) => line.error);
          if (failure) reject(failure instanceof Error ? failure : new Error(failure.error));
          else resolve();
        },
        (event: { id?: string; status?: string; progressDetail?: { current?: number; total?: number } }) => {
          if (event.id && event.status) {
            const layer = layers.get(event.id) ?? { current: 0, total: 0, done: false };
            layer.current = event.progressDetail?.current ?? layer.current;
            layer.total = event.progressDetail?.total ?? layer.total;
            layer.done ||= /complete|already exists/i.test(event.status);
            layers.set(event.id, layer);
          }
          if (performance.now() - lastLog < PULL_LOG_INTERVAL_MS) return;
          lastLog = performance.now();
          const all = [...layers.values()];
          this.log.info(
            {
              image,
              layersDone: all.filter((layer) => layer.done).length,
              layers: all.length,
              downloadedMb: Math.round(all.reduce((sum, layer) => sum + layer.current, 0) / 1e6),
              totalMb: Math.round(all.reduce((sum, layer) => sum + layer.total, 0) / 1e6),
            },
            "pulling browser image",
          );
        },
      );
    });
  }
}
