/**
 * The chart app's live refresh, plain (no DOM): while the app is visible it asks `chart_data`
 * every {@link REFRESH_MS} for the bars from its last one on and the workspace's drawings, and
 * merges them into what it shows; hidden, it asks nothing.
 */
import type { ViewBar } from '../view/types.ts';

/** How often a visible app refreshes its last bars and the workspace's drawings. */
export const REFRESH_MS = 3_000;

/**
 * Merges `fresh` (ascending, from a `since` refresh) into `bars` in place: a bar with the time of
 * the last one replaces it, later ones are appended, older ones are left alone (the chart holds
 * them already). Returns the bars merged, for the view's `updateBar`.
 */
export function mergeFresh(bars: ViewBar[], fresh: readonly ViewBar[]): ViewBar[] {
  const merged: ViewBar[] = [];
  for (const bar of fresh) {
    const last = bars[bars.length - 1];
    if (last !== undefined && bar.time < last.time) continue;
    if (last !== undefined && bar.time === last.time) bars[bars.length - 1] = bar;
    else bars.push(bar);
    merged.push(bar);
  }
  return merged;
}

export interface RefreshLoopOptions {
  readonly every: number;
  /** One refresh; the next is scheduled when it settles, so two never overlap. */
  readonly run: () => Promise<void>;
  readonly isVisible: () => boolean;
  readonly setTimer: (fn: () => void, ms: number) => unknown;
  readonly clearTimer: (handle: unknown) => void;
}

export interface RefreshLoop {
  /** Starts refreshing (the first one `every` ms from now) while visible. */
  start(): void;
  /** Call on `visibilitychange`: hidden stops it; visible again refreshes at once, then goes on. */
  visibilityChanged(): void;
}

export function createRefreshLoop(o: RefreshLoopOptions): RefreshLoop {
  let started = false;
  let timer: unknown;
  let running = false;
  const stop = () => {
    if (timer !== undefined) o.clearTimer(timer);
    timer = undefined;
  };
  const schedule = (ms: number) => {
    stop();
    timer = o.setTimer(tick, ms);
  };
  function tick(): void {
    timer = undefined;
    if (!o.isVisible()) return;
    running = true;
    o.run()
      .catch(() => undefined) // run reports its own failures; the loop goes on
      .finally(() => {
        running = false;
        if (o.isVisible() && timer === undefined) schedule(o.every);
      });
  }
  return {
    start() {
      started = true;
      if (o.isVisible() && !running) schedule(o.every);
    },
    visibilityChanged() {
      if (!started) return;
      if (!o.isVisible()) stop();
      else if (!running) schedule(0);
    },
  };
}
