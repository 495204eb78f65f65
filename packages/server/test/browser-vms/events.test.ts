// Docker events → VM events, and the stream's reconnect with backoff after the engine goes away.
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, test, vi } from "vitest";
import { serializeVmLabels } from "../../src/browser-vms/docker/labels.ts";
import { reconnectDelay, toVmEvent, VmEventStream, type DockerVmEvent } from "../../src/browser-vms/docker/events.ts";
import { silentLogger } from "../../src/browser-vms/types.ts";

const labels = serializeVmLabels({
  instance: "portal",
  chatId: 5,
  browser: "firefox",
  image: "i",
  webrtcPorts: { min: 1, max: 2 },
  webrtcMux: false,
  httpPort: 3,
  networkMode: "host",
  startUrl: null,
  kiosk: false,
});
let clock = 1_700_000_000;
const dockerEvent = (action: string, attributes: Record<string, string> = labels) => {
  clock++;
  return { Type: "container", Action: action, Actor: { ID: "c0ffee", Attributes: { ...attributes, name: "portal-chat-5" } }, time: clock, timeNano: clock * 1e9 };
};

describe("toVmEvent", () => {
  test.each([
    ["start", "started"],
    ["stop", "stopped"],
    ["die", "died"],
  ])("%s → %s", (action, type) => {
    expect(toVmEvent(dockerEvent(action), "portal")).toEqual({ type, chatId: 5, containerId: "c0ffee" });
  });

  test("other actions, other instances and foreign containers are ignored", () => {
    expect(toVmEvent(dockerEvent("create"), "portal")).toBeNull();
    expect(toVmEvent(dockerEvent("start"), "staging")).toBeNull();
    expect(toVmEvent(dockerEvent("start", { image: "nginx" }), "portal")).toBeNull();
    expect(toVmEvent({ ...dockerEvent("start"), Type: "network" }, "portal")).toBeNull();
  });
});

test("reconnect delays double up to the cap", () => {
  expect([0, 1, 2, 3, 10, 100].map((attempt) => reconnectDelay(attempt, { initialMs: 100, maxMs: 1000 }))).toEqual([100, 200, 400, 800, 1000, 1000]);
});

describe("VmEventStream", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("emits events split across chunks, reconnects with backoff after the engine goes away, resumes and asks for a resync", async () => {
    vi.useFakeTimers();
    const streams: PassThrough[] = [];
    const calls: Array<{ since?: number }> = [];
    let engineUp = true;
    const docker = {
      getEvents: vi.fn(async (options: { since?: number }) => {
        calls.push(options);
        if (!engineUp) throw Object.assign(new Error("connect ENOENT /tmp/docker.sock"), { code: "ENOENT" });
        const stream = new PassThrough();
        streams.push(stream);
        return stream;
      }),
    };
    const events: DockerVmEvent[] = [];
    let resyncs = 0;
    const stream = new VmEventStream(docker as never, {
      instance: "portal",
      log: silentLogger,
      onEvent: (event) => events.push(event),
      onResync: () => resyncs++,
      backoff: { initialMs: 100, maxMs: 400 },
    });
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]).not.toHaveProperty("since");

    const first = JSON.stringify(dockerEvent("start"));
    streams[0]!.write(first.slice(0, 20));
    streams[0]!.write(`${first.slice(20)}\n${JSON.stringify(dockerEvent("die"))}\n`);
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map((event) => event.type)).toEqual(["started", "died"]);
    const lastSeen = clock;

    // the engine restarts: the stream ends and the socket is gone for a while
    engineUp = false;
    streams[0]!.end();
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(200);
    await vi.advanceTimersByTimeAsync(400);
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toHaveLength(5);
    expect(resyncs).toBe(0);

    engineUp = true;
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toHaveLength(6);
    expect(calls[5]).toMatchObject({ since: lastSeen });
    expect(resyncs).toBe(1);

    // a resumed stream repeats the last second: repeats are dropped, new events pass
    const repeated = { ...dockerEvent("die"), time: lastSeen, timeNano: lastSeen * 1e9 };
    streams[1]!.write(`${JSON.stringify(repeated)}\n${JSON.stringify(dockerEvent("stop"))}\n`);
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map((event) => event.type)).toEqual(["started", "died", "stopped"]);

    // the backoff starts over after a successful connect
    streams[1]!.destroy(new Error("socket hang up"));
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(7);
    expect(resyncs).toBe(2);

    stream.close();
    streams[2]!.end();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(7);
  });

  test("an engine down at boot is retried until it answers", async () => {
    vi.useFakeTimers();
    let attempts = 0;
    const docker = {
      getEvents: vi.fn(async () => {
        attempts++;
        if (attempts < 3) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        return new PassThrough();
      }),
    };
    let resyncs = 0;
    const stream = new VmEventStream(docker as never, { instance: "portal", log: silentLogger, onEvent: () => {}, onResync: () => resyncs++, backoff: { initialMs: 50, maxMs: 50 } });
    stream.start();
    await vi.advanceTimersByTimeAsync(200);
    expect(attempts).toBe(3);
    expect(resyncs).toBe(1);
    stream.close();
  });
});
