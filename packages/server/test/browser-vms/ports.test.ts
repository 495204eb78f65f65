// Port pool rules: real interval intersection (a new range never contains a taken one), lowest
// free range first, exhaustion as PortPoolExhaustedError, and allocation serialized.
import { describe, expect, test } from "vitest";
import { PortPoolExhaustedError } from "../../src/browser-vms/types.ts";
import { chooseChatPorts, findFreeRange, PortAllocator, rangesOverlap, type ChatPorts } from "../../src/browser-vms/docker/ports.ts";

const range = (min: number, max: number) => ({ min, max });

describe("rangesOverlap", () => {
  test.each([
    [range(1, 5), range(5, 9), true],
    [range(1, 5), range(6, 9), false],
    [range(1, 10), range(3, 4), true],
    [range(3, 4), range(1, 10), true],
    [range(7, 7), range(7, 7), true],
    [range(8, 9), range(1, 7), false],
  ])("%o and %o → %s", (a, b, expected) => {
    expect(rangesOverlap(a, b)).toBe(expected);
    expect(rangesOverlap(b, a)).toBe(expected);
  });
});

describe("findFreeRange", () => {
  const pool = range(100, 199);

  test("an empty pool gives its first ports", () => {
    expect(findFreeRange(pool, 10, [])).toEqual(range(100, 109));
  });

  test("skips taken ranges, in any order", () => {
    expect(findFreeRange(pool, 10, [range(110, 119), range(100, 109)])).toEqual(range(120, 129));
  });

  test("reuses a gap that fits exactly", () => {
    expect(findFreeRange(pool, 10, [range(100, 109), range(120, 129)])).toEqual(range(110, 119));
  });

  test("never returns a range that contains a smaller taken one (the neko-rooms gap)", () => {
    // the candidate 100-109 has neither end inside 103-104, but contains it
    const free = findFreeRange(pool, 10, [range(103, 104)]);
    expect(free).toEqual(range(105, 114));
  });

  test("a gap too small is passed over", () => {
    expect(findFreeRange(pool, 10, [range(100, 104), range(110, 119)])).toEqual(range(120, 129));
  });

  test("ranges outside the pool do not matter", () => {
    expect(findFreeRange(pool, 10, [range(1, 99), range(200, 300)])).toEqual(range(100, 109));
  });

  test("a taken range sticking into the pool is respected", () => {
    expect(findFreeRange(pool, 10, [range(90, 102)])).toEqual(range(103, 112));
  });

  test("the last range that fits, then null", () => {
    expect(findFreeRange(pool, 10, [range(100, 189)])).toEqual(range(190, 199));
    expect(findFreeRange(pool, 10, [range(100, 190)])).toBeNull();
    expect(findFreeRange(range(5, 5), 1, [range(5, 5)])).toBeNull();
  });

  test("overlapping taken ranges (stale labels) are handled", () => {
    expect(findFreeRange(pool, 5, [range(100, 120), range(105, 110), range(118, 125)])).toEqual(range(126, 130));
  });

  test("random sets: the result never intersects a taken range and is the lowest fit", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 500; round++) {
      const taken = Array.from({ length: Math.floor(random() * 8) }, () => {
        const min = 90 + Math.floor(random() * 120);
        return range(min, min + Math.floor(random() * 15));
      });
      const size = 1 + Math.floor(random() * 12);
      const free = findFreeRange(pool, size, taken);
      const fits = (start: number) => start + size - 1 <= pool.max && taken.every((t) => !rangesOverlap(t, range(start, start + size - 1)));
      const lowest = Array.from({ length: pool.max - pool.min + 1 }, (_, i) => pool.min + i).find(fits);
      expect(free).toEqual(lowest === undefined ? null : range(lowest, lowest + size - 1));
    }
  });
});

describe("chooseChatPorts", () => {
  const pools = { webrtc: range(59000, 59029), webrtcPerChat: 10, http: range(18000, 18001) };

  test("a WebRTC range and an HTTP port, both free", () => {
    const taken: ChatPorts[] = [{ webrtc: range(59000, 59009), http: 18000 }];
    expect(chooseChatPorts(pools, taken)).toEqual({ webrtc: range(59010, 59019), http: 18001 });
  });

  test("a full WebRTC pool is PortPoolExhaustedError('webrtc')", () => {
    const taken: ChatPorts[] = [range(59000, 59009), range(59010, 59019), range(59020, 59029)].map((webrtc, i) => ({ webrtc, http: 17000 + i }));
    expect(() => chooseChatPorts(pools, taken)).toThrowError(PortPoolExhaustedError);
    expect(() => chooseChatPorts(pools, taken)).toThrowError(expect.objectContaining({ pool: "webrtc" }));
  });

  test("a full HTTP pool is PortPoolExhaustedError('http')", () => {
    const taken: ChatPorts[] = [
      { webrtc: range(1, 1), http: 18000 },
      { webrtc: range(2, 2), http: 18001 },
    ];
    expect(() => chooseChatPorts(pools, taken)).toThrowError(expect.objectContaining({ pool: "http" }));
  });
});

describe("PortAllocator", () => {
  test("concurrent allocations get disjoint ports while their containers are still being created", async () => {
    const created: ChatPorts[] = [];
    let listings = 0;
    const allocator = new PortAllocator({ webrtc: range(59000, 59099), webrtcPerChat: 10, http: range(18000, 18099) }, async () => {
      listings++;
      await new Promise((resolve) => setTimeout(resolve, 2));
      return [...created];
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        allocator.withPorts(async (ports) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          created.push(ports);
          return ports;
        }),
      ),
    );
    // the queued choices share listings, yet none overlaps a range chosen or created before it
    expect(listings).toBeGreaterThanOrEqual(1);
    expect(listings).toBeLessThan(8);
    for (const [i, a] of results.entries()) {
      for (const b of results.slice(i + 1)) {
        expect(rangesOverlap(a.webrtc, b.webrtc)).toBe(false);
        expect(a.http).not.toBe(b.http);
      }
    }
  });

  test("a choice after a quiet moment lists the containers afresh", async () => {
    let held: ChatPorts[] = [{ webrtc: range(59000, 59009), http: 18000 }];
    let listings = 0;
    const allocator = new PortAllocator({ webrtc: range(59000, 59019), webrtcPerChat: 10, http: range(18000, 18001) }, async () => {
      listings++;
      return held;
    });
    await expect(allocator.withPorts(async (ports) => ports)).resolves.toEqual({ webrtc: range(59010, 59019), http: 18001 });
    held = []; // the first chat's container went away outside this allocator
    await expect(allocator.withPorts(async (ports) => ports)).resolves.toEqual({ webrtc: range(59000, 59009), http: 18000 });
    expect(listings).toBe(2);
  });

  test("a failed create gives its ports back", async () => {
    const allocator = new PortAllocator({ webrtc: range(59000, 59009), webrtcPerChat: 10, http: range(18000, 18000) }, async () => []);
    await expect(allocator.withPorts(async () => Promise.reject(new Error("create failed")))).rejects.toThrow("create failed");
    await expect(allocator.withPorts(async (ports) => ports)).resolves.toEqual({ webrtc: range(59000, 59009), http: 18000 });
  });

  test("exhaustion while another chat holds the only range", async () => {
    const allocator = new PortAllocator({ webrtc: range(59000, 59009), webrtcPerChat: 10, http: range(18000, 18009) }, async () => []);
    let release!: () => void;
    const holding = allocator.withPorts(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(allocator.withPorts(async () => "second")).rejects.toBeInstanceOf(PortPoolExhaustedError);
    release();
    await holding;
  });
});
