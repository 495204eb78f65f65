// One chat's operations run one at a time, in order; different chats run side by side.
import { expect, test } from "vitest";
import { KeyedMutex } from "../../src/browser-vms/docker/keyed-mutex.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("same key: serialized in call order, failures do not block the queue", async () => {
  const mutex = new KeyedMutex<number>();
  const log: string[] = [];
  const task = (name: string, fail = false) => async () => {
    log.push(`${name} in`);
    await pause(5);
    log.push(`${name} out`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([mutex.run(1, task("a")), mutex.run(1, task("b", true)), mutex.run(1, task("c"))]);
  expect(log).toEqual(["a in", "a out", "b in", "b out", "c in", "c out"]);
  expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(mutex.size).toBe(0);
});

test("different keys: in parallel", async () => {
  const mutex = new KeyedMutex<number>();
  let running = 0;
  let most = 0;
  await Promise.all(
    [1, 2, 3, 4].map((key) =>
      mutex.run(key, async () => {
        most = Math.max(most, ++running);
        await pause(10);
        running--;
      }),
    ),
  );
  expect(most).toBe(4);
});
