import { describe, expect, it } from 'vitest';
import { checkRange, fractionOf, inGaps, planKlineWindows } from './plan.ts';

const M = 60_000_000;

describe('planKlineWindows', () => {
  it('groups small holes into one page-sized request and splits a long hole into pages', () => {
    const gaps = [
      { fromUs: 0, toUs: M },
      { fromUs: 3 * M, toUs: 5 * M },
      { fromUs: 10 * M, toUs: 35 * M },
    ];
    const windows = planKlineWindows(gaps, M, 10);
    expect(windows.map((w) => [w.fromUs / M, w.toUs / M])).toEqual([
      [0, 5],
      [10, 20],
      [20, 30],
      [30, 35],
    ]);
    expect(windows[0]!.gaps).toEqual(gaps.slice(0, 2));
    expect(inGaps(windows[0]!.gaps, 2 * M)).toBe(false);
    expect(inGaps(windows[0]!.gaps, 4 * M)).toBe(true);
  });

  it('asks nothing when there is no gap', () => {
    expect(planKlineWindows([], M, 1000)).toEqual([]);
  });
});

describe('checkRange', () => {
  const base = { venue: 'BINANCE', symbol: 'BTCUSDT', nowUs: 100 * M, earliestUs: 10 * M };
  it('accepts a range inside [earliest, now]', () => {
    expect(() => checkRange({ ...base, fromUs: 10 * M, toUs: 100 * M })).not.toThrow();
  });
  it('names the earliest time when the range starts before it', () => {
    expect(() => checkRange({ ...base, fromUs: 9 * M, toUs: 20 * M })).toThrow(
      'from: BTCUSDT on BINANCE has no data before its earliest time 1970-01-01T00:10:00.000Z',
    );
  });
  it('refuses the future and inverted ranges', () => {
    expect(() => checkRange({ ...base, fromUs: 20 * M, toUs: 101 * M })).toThrow(/future/);
    expect(() => checkRange({ ...base, fromUs: 20 * M, toUs: 20 * M })).toThrow(/empty or inverted/);
  });
});

describe('fractionOf', () => {
  it('is clamped to 0..1', () => {
    expect(fractionOf(0, 10, 5)).toBe(0.5);
    expect(fractionOf(0, 10, 50)).toBe(1);
    expect(fractionOf(0, 10, -5)).toBe(0);
  });
});
