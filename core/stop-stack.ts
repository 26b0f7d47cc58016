/**
 * Ordered shutdown for anything that starts several parts: each part registers how to stop it
 * right after it has started, and `stopAll` stops them newest first. A start that fails half
 * way calls `stopAll` and leaves no socket, timer or file handle behind.
 *
 * @example
 * const parts = createStopStack();
 * try {
 *   const server = await listen();
 *   parts.push('http server', () => server.close());
 *   const feed = await openFeed();
 *   parts.push('feed', () => feed.stop());
 * } catch (error) {
 *   await parts.stopAll();
 *   throw error;
 * }
 */
export interface StopStack {
  /** Registers a started part; it is stopped before every part pushed earlier. */
  push(name: string, stop: () => unknown): void;
  /**
   * Stops every part, newest first, each once; a part that fails to stop does not keep the
   * others running. Resolves with the failures (name and error), empty when all stopped.
   */
  stopAll(): Promise<readonly StopFailure[]>;
}

/** A part whose stop threw. */
export interface StopFailure {
  readonly name: string;
  readonly error: unknown;
}

/** Creates an empty {@link StopStack}. */
export function createStopStack(): StopStack {
  const parts: { name: string; stop: () => unknown }[] = [];
  return {
    push(name, stop) {
      parts.push({ name, stop });
    },
    async stopAll() {
      const failures: StopFailure[] = [];
      for (let part = parts.pop(); part !== undefined; part = parts.pop()) {
        try {
          await part.stop();
        } catch (error) {
          failures.push({ name: part.name, error });
        }
      }
      return failures;
    },
  };
}
