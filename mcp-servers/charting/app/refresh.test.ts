import { describe, expect, it } from 'vitest';
import type { ViewBar } from '../view/types.ts';
import { createRefreshLoop, mergeFresh } from './refresh.ts';

const bar = (time: number, close: number): ViewBar => ({ time, open: 1, high: 9, low: 0, close, volume: 1 });

describe('mergeFresh', () => {
  it('replaces the last bar, appends newer ones and skips older ones', () => {
    const bars = [bar(60, 1), bar(120, 2)];
    const merged = mergeFresh(bars, [bar(60, 5), bar(120, 3), bar(180, 4)]);
    expect(merged).toEqual([bar(120, 3), bar(180, 4)]);
    expect(bars).toEqual([bar(60, 1), bar(120, 3), bar(180, 4)]);
    expect(mergeFresh(bars, [])).toEqual([]);
    const empty: ViewBar[] = [];
    expect(mergeFresh(empty, [bar(60, 1)])).toEqual([bar(60, 1)]);
    expect(empty).toEqual([bar(60, 1)]);
  });
});

/** Timers the test fires by hand, and a page whose visibility it sets. */
function harness() {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  let visible = true;
  const runs: (() => void)[] = [];
  const loop = createRefreshLoop({
    every: 3000,
    run: () => new Promise<void>((resolve) => runs.push(resolve)),
    isVisible: () => visible,
    setTimer: (fn, ms) => {
      timers.set(++next, { fn, ms });
      return next;
    },
    clearTimer: (h) => timers.delete(h as number),
  });
  const fire = () => {
    const [[id, t]] = [...timers] as [[number, { fn: () => void; ms: number }]];
    timers.delete(id);
    t.fn();
  };
  const finishRun = async () => {
    runs.shift()?.();
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  return {
    loop,
    timers,
    runs,
    fire,
    finishRun,
    setVisible: (v: boolean) => {
      visible = v;
      loop.visibilityChanged();
    },
  };
}

describe('createRefreshLoop', () => {
  it('refreshes every interval while visible, one at a time', async () => {
    const h = harness();
    h.loop.start();
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([3000]);
    h.fire();
    expect(h.runs).toHaveLength(1);
    expect(h.timers.size).toBe(0); // nothing more until this one settles
    await h.finishRun();
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([3000]);
  });

  it('stops when hidden and refreshes at once when visible again', async () => {
    const h = harness();
    h.loop.start();
    h.setVisible(false);
    expect(h.timers.size).toBe(0);
    h.setVisible(true);
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([0]);
    h.fire();
    // Hidden while a refresh runs: it finishes, and no next one is scheduled.
    h.setVisible(false);
    await h.finishRun();
    expect(h.timers.size).toBe(0);
  });

  it('does nothing before it is started', () => {
    const h = harness();
    h.setVisible(false);
    h.setVisible(true);
    expect(h.timers.size).toBe(0);
  });
});
