/** Runs async jobs of one key one after another (in this process); other keys run freely. */
export interface SerialQueue {
  run<T>(key: string, job: () => Promise<T>): Promise<T>;
}

/** A {@link SerialQueue}; a failed job does not block the next one of its key. */
export function createSerialQueue(): SerialQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, job: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous.then(job, job);
      const settled = next.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, settled);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
      });
      return next;
    },
  };
}
