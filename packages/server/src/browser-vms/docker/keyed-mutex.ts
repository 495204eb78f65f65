// Runs tasks one at a time per key and in parallel across keys: one chat's create, start, stop
// and remove never race each other, while different chats do not wait for one another.

export class KeyedMutex<K> {
  private readonly tails = new Map<K, Promise<void>>();

  async run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      // the last waiter cleans up, so the map only holds keys with work queued
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a task running or queued. */
  get size(): number {
    return this.tails.size;
  }
}
