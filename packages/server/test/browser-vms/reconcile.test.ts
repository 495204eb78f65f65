// Reconcile planning and its order of steps: containers are listed before the live chats are read,
// and a failed read removes nothing.
import { describe, expect, test, vi } from "vitest";
import { planReconcile, reconcileBrowserVms, superviseBrowserVms } from "../../src/browser-vms/docker/reconcile.ts";
import { silentLogger, type BrowserVmEvent, type BrowserVms, type ReconcileReport } from "../../src/browser-vms/types.ts";

const vm = (chatId: number, running: boolean) => ({ chatId, running, containerId: `c${chatId}` });

describe("planReconcile", () => {
  test("orphans, missing, stopped and running chats", () => {
    const plan = planReconcile([vm(1, true), vm(2, false), vm(9, true), vm(10, false)], [4, 2, 1, 3]);
    expect(plan.orphans.map((container) => container.chatId)).toEqual([9, 10]);
    expect(plan.missing).toEqual([3, 4]);
    expect(plan.stopped).toEqual([2]);
    expect(plan.running).toEqual([1]);
  });

  test("a chat with a stopped and a running container counts as running", () => {
    expect(planReconcile([vm(1, false), vm(1, true)], [1]).running).toEqual([1]);
  });
});

describe("reconcileBrowserVms", () => {
  test("removes orphans, adopts running containers of live chats, reports the rest", async () => {
    const order: string[] = [];
    const report = await reconcileBrowserVms({
      list: async () => (order.push("list"), [vm(1, true), vm(2, false), vm(7, true), vm(8, true)]),
      liveChatIds: async () => (order.push("live"), [1, 2, 3, 8]),
      removeOrphan: async (chatId) => void order.push(`remove ${chatId}`),
      adopt: async (chatId) => (order.push(`adopt ${chatId}`), chatId === 1),
      log: silentLogger,
    });
    expect(order).toEqual(["list", "live", "remove 7", "adopt 1", "adopt 8"]);
    expect(report).toEqual({ removed: [7], missing: [3], stopped: [2, 8], adopted: [1] } satisfies ReconcileReport);
  });

  test("a failure to read the live chats removes nothing", async () => {
    const removeOrphan = vi.fn(async () => {});
    await expect(
      reconcileBrowserVms({
        list: async () => [vm(7, true)],
        liveChatIds: async () => Promise.reject(new Error("database down")),
        removeOrphan,
        adopt: async () => true,
        log: silentLogger,
      }),
    ).rejects.toThrow("database down");
    expect(removeOrphan).not.toHaveBeenCalled();
  });
});

describe("superviseBrowserVms", () => {
  test("runs at once, on the interval and on resync, never two passes at a time", async () => {
    vi.useFakeTimers();
    try {
      let listener: ((event: BrowserVmEvent) => void) | null = null;
      let inFlight = 0;
      let maxInFlight = 0;
      const reconcile = vi.fn(async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 50));
        inFlight--;
        return { removed: [], missing: [], stopped: [], adopted: [] };
      });
      const vms = { reconcile, onEvent: (l: (event: BrowserVmEvent) => void) => ((listener = l), () => (listener = null)) } as unknown as BrowserVms;
      const reports: ReconcileReport[] = [];
      const supervision = superviseBrowserVms(vms, { liveChatIds: async () => [], intervalMs: 1000, onReport: (report) => void reports.push(report), log: silentLogger });
      expect(reconcile).toHaveBeenCalledTimes(1);
      listener!({ type: "resync" });
      listener!({ type: "resync" });
      listener!({ type: "started", chatId: 1 });
      await vi.advanceTimersByTimeAsync(120);
      expect(reconcile).toHaveBeenCalledTimes(2);
      await vi.advanceTimersByTimeAsync(1000);
      expect(reconcile).toHaveBeenCalledTimes(3);
      expect(maxInFlight).toBe(1);
      expect(reports).toHaveLength(3);
      supervision.stop();
      expect(listener).toBeNull();
      await vi.advanceTimersByTimeAsync(5000);
      expect(reconcile).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
