// Host ports of browser VMs: a WebRTC range per chat (host port = container port, because WebRTC
// advertises it) or one mux port, and one neko HTTP port per chat. Allocation is serialized and
// uses real interval intersection, so a new range never overlaps or contains a taken one.
import { PortPoolExhaustedError, type PortRange } from "../types.ts";
import { KeyedMutex } from "./keyed-mutex.ts";

export interface ChatPorts {
  webrtc: PortRange;
  http: number;
}

export interface PortPools {
  webrtc: PortRange;
  /** 1 in mux mode */
  webrtcPerChat: number;
  http: PortRange;
}

export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.min <= b.max && b.min <= a.max;
}

/** The lowest `size` consecutive ports of `pool` that intersect none of `taken`, or null. */
export function findFreeRange(pool: PortRange, size: number, taken: readonly PortRange[]): PortRange | null {
  const inPool = taken.filter((range) => rangesOverlap(range, pool)).sort((a, b) => a.min - b.min);
  let start = pool.min;
  for (const range of inPool) {
    if (range.max < start) continue;
    if (start + size - 1 < range.min) break;
    start = range.max + 1;
  }
  return start + size - 1 <= pool.max ? { min: start, max: start + size - 1 } : null;
}

/** Free ports for one more chat given what the others hold; throws PortPoolExhaustedError. */
export function chooseChatPorts(pools: PortPools, taken: readonly ChatPorts[]): ChatPorts {
  const webrtc = findFreeRange(
    pools.webrtc,
    pools.webrtcPerChat,
    taken.map((ports) => ports.webrtc),
  );
  if (!webrtc) throw new PortPoolExhaustedError("webrtc");
  const http = findFreeRange(
    pools.http,
    1,
    taken.map((ports) => ({ min: ports.http, max: ports.http })),
  );
  if (!http) throw new PortPoolExhaustedError("http");
  return { webrtc, http: http.min };
}

export class PortAllocator {
  private readonly lock = new KeyedMutex<"pool">();
  /** chosen but not yet visible as container labels */
  private readonly pending = new Set<ChatPorts>();
  /**
   * One listing of the containers' ports serves the choices queued behind it (a burst of starts),
   * so that they do not each wait for an engine listing inside the lock. It can only over-count
   * (a container stopped since), never miss one: every create holds a pending reservation until
   * its container is listed, and ending a reservation drops the listing. When no choice is
   * waiting any more it is dropped too, so a start after a quiet moment always lists afresh.
   */
  private listing: ChatPorts[] | null = null;
  private waiting = 0;

  constructor(
    private readonly pools: PortPools,
    /** ports held by the instance's existing containers, read from their labels */
    private readonly takenByContainers: () => Promise<ChatPorts[]>,
  ) {}

  /** Forgets the shared listing (a container was stopped or removed: its ports may be free). */
  invalidate(): void {
    this.listing = null;
  }

  /**
   * Chooses free ports and holds them while `use` creates the container; from then on the
   * container's labels hold them. Only the choice is serialized, not the create.
   */
  async withPorts<T>(use: (ports: ChatPorts) => Promise<T>): Promise<T> {
    this.waiting += 1;
    const ports = await this.lock.run("pool", async () => {
      try {
        this.listing ??= await this.takenByContainers();
        const chosen = chooseChatPorts(this.pools, [...this.listing, ...this.pending]);
        this.pending.add(chosen);
        return chosen;
      } finally {
        this.waiting -= 1;
        if (this.waiting === 0) this.invalidate();
      }
    });
    try {
      return await use(ports);
    } finally {
      this.pending.delete(ports);
      this.invalidate();
    }
  }
}
