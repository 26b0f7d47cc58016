// Real time, captured before any test installs fake timers: `until` waits for things that
// happen on their own (I/O, other processes), so it keeps polling in real time even in a test
// that fakes the clock (e.g. to see that code under test is waiting on a timer).
const realSetTimeout = globalThis.setTimeout;
const realNow = Date.now;

/** How long `until` waits, and how often it looks. */
export interface UntilOptions {
  /** Give up after this many milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** Look again after this many milliseconds (default 20). */
  readonly intervalMs?: number;
}

/**
 * Resolves once `condition` holds, looking every `intervalMs`; after `timeoutMs` it throws
 * "timed out after … waiting for <what>". `what` names what was awaited, and may be a function
 * so the message can say how far it got ("stored 12 of 40 trades"). An error thrown by
 * `condition` is thrown at once. It polls in real time, also under `vi.useFakeTimers()`, and
 * works outside vitest too (worker processes, benches).
 *
 * This is how a test waits for something that happens on its own time (a consumer catching up,
 * a socket opening); a test that waits for a timer of its own code uses fake timers instead.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  options: UntilOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = realNow() + timeoutMs;
  while (!(await condition())) {
    if (realNow() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await new Promise((resolve) => realSetTimeout(resolve, intervalMs));
  }
}
