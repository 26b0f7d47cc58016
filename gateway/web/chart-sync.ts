/**
 * Keeps the page's chart and the workspace's chart one. The user's switch of symbol or period is
 * saved to the workspace (`PUT /api/workspace/chart`), so the agent's brief names the chart they
 * are looking at; a change from elsewhere (an agent's `set_chart`, another tab, Telegram) moves
 * the page. The page's own saves come back as workspace updates (the answer and the WebSocket
 * push): those must not bounce the page to a series the user has already left. Plain.
 */
import { type ShownSeries, sameSeries } from './subscriptions.ts';
import { chartToFollow, type PageWorkspace } from './workspace-state.ts';

export interface ChartSync {
  /**
   * The user switched to `series` on this page: saves it after any earlier save (so the last
   * pick is the one the workspace keeps). Resolves to the save's answer; rejects when it failed.
   */
  picked<T>(series: ShownSeries, save: (series: ShownSeries) => Promise<T>): Promise<T>;
  /**
   * A workspace update arrived (after `previous`): the series to move the page to, or undefined
   * to stay — when its chart did not change, is what the page shows, or while the page's own
   * saves are under way (their updates are echoes; the last save wins anyway).
   */
  follow(
    previous: PageWorkspace | undefined,
    next: PageWorkspace,
    shown: ShownSeries | undefined,
  ): ShownSeries | undefined;
}

export function createChartSync(): ChartSync {
  let saving = 0;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    picked(series, save) {
      saving++;
      const done = queue.then(() => save(series));
      queue = done.catch(() => undefined);
      return done.finally(() => {
        saving--;
      });
    },
    follow(previous, next, shown) {
      if (saving > 0) return undefined;
      const to = chartToFollow(previous, next);
      return to === undefined || sameSeries(to, shown) ? undefined : to;
    },
  };
}
