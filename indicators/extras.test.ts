import { describe, expect, it } from 'vitest';
import { computeIndicator } from './index.ts';

const NaN_ = Number.NaN;
const f64 = (xs: number[]) => Float64Array.from(xs);
const usAt = (iso: string) => Date.parse(iso) * 1000;

/** Hand-worked cases: every expected number below was computed on paper from the definitions. */
describe('Donchian channel', () => {
  it('tracks the highest high / lowest low of the last `period` bars', () => {
    const { columns, warmup } = computeIndicator(
      'donchian',
      { high: [1, 3, 2, 5, 4], low: [0, 1, 1, 2, 3] },
      { period: 3 },
    );
    expect([...columns.upper!]).toEqual([NaN_, NaN_, 3, 5, 5]);
    expect([...columns.lower!]).toEqual([NaN_, NaN_, 0, 1, 1]);
    expect([...columns.middle!]).toEqual([NaN_, NaN_, 1.5, 3, 3]);
    expect(warmup).toBe(2);
  });
});

describe('VWAP', () => {
  // h = l = c so the typical price is the close; volumes 1, 3, 2, 0.
  const time = f64(
    ['2023-01-01T23:50Z', '2023-01-01T23:55Z', '2023-01-02T00:00Z', '2023-01-02T00:05Z'].map(usAt),
  );
  const price = f64([10, 20, 30, 40]);
  const bars = { time, high: price, low: price, close: price, volume: f64([1, 3, 2, 0]) };

  it('restarts at 00:00 UTC by default', () => {
    const { columns } = computeIndicator('vwap', bars);
    // (10*1 + 20*3) / 4 = 17.5; new day: 30; then a zero-volume bar leaves it at 30.
    expect([...columns.vwap!]).toEqual([10, 17.5, 30, 30]);
  });

  it('uses the typical price (h+l+c)/3 and honours the session length and offset', () => {
    const { columns } = computeIndicator(
      'vwap',
      { ...bars, high: f64([13, 23, 33, 43]), low: f64([7, 17, 27, 37]) },
      // 60-minute sessions starting at :55 -> boundary between bars 0 and 1
      { sessionMinutes: 60, offsetMinutes: 55 },
    );
    expect([...columns.vwap!]).toEqual([10, 20, (20 * 3 + 30 * 2) / 5, (20 * 3 + 30 * 2) / 5]);
  });

  it('is NaN until the session has volume', () => {
    const { columns, warmup } = computeIndicator('vwap', { ...bars, volume: f64([0, 3, 0, 1]) });
    expect([...columns.vwap!]).toEqual([NaN_, 20, NaN_, 40]);
    // warm-up counts leading bars only; the NaN at the next session's start is a gap
    expect(warmup).toBe(1);
  });
});

describe('Ichimoku', () => {
  it('computes the five lines with forward/backward displacement', () => {
    const { columns, warmup } = computeIndicator(
      'ichimoku',
      { high: [10, 12, 11, 15, 14, 13], low: [8, 9, 7, 12, 11, 10], close: [9, 11, 10, 14, 12, 11] },
      { tenkan: 2, kijun: 3, senkou: 4, displacement: 2 },
    );
    expect([...columns.tenkan!]).toEqual([NaN_, 10, 9.5, 11, 13, 12]);
    expect([...columns.kijun!]).toEqual([NaN_, NaN_, 9.5, 11, 11, 12.5]);
    expect([...columns.senkou_a!]).toEqual([NaN_, NaN_, NaN_, NaN_, 9.5, 11]);
    expect([...columns.senkou_b!]).toEqual([NaN_, NaN_, NaN_, NaN_, NaN_, 11]);
    expect([...columns.chikou!]).toEqual([10, 14, 12, 11, NaN_, NaN_]);
    expect(warmup).toBe(5);
  });
});

// Shared bars for the ATR-based indicators. True ranges (from bar 1): 2, 2, 2, 3.5, 6.5, 2, 5;
// Wilder ATR(2): bar2 2, bar3 2, bar4 2.75, bar5 4.625, bar6 3.3125, bar7 4.15625.
const atrBars = {
  high: [10, 11, 12, 13, 12, 16, 17, 16],
  low: [8, 9, 10, 11, 9, 13, 15, 11],
  close: [9, 10, 11, 12.5, 9.5, 15.5, 16, 11.5],
};

describe('Supertrend', () => {
  it('ratchets the bands and flips on closes beyond them', () => {
    const { columns, warmup } = computeIndicator('supertrend', atrBars, { period: 2, multiplier: 1 });
    // bar2 starts down (upper 13); bar3/4 the upper band holds at 13; bar5 closes 15.5 > 13
    // -> up, line = lower band 9.875; bar6 lower rises to 12.6875; bar7 closes 11.5 below it
    // -> down, line = upper band 13.5 + 4.15625.
    expect([...columns.supertrend!]).toEqual([NaN_, NaN_, 13, 13, 13, 9.875, 12.6875, 17.65625]);
    expect([...columns.direction!]).toEqual([NaN_, NaN_, -1, -1, -1, 1, 1, -1]);
    expect(warmup).toBe(2);
  });
});

describe('Keltner channel', () => {
  it('is EMA(close) ± multiplier × ATR', () => {
    const bars = {
      high: atrBars.high.slice(0, 5),
      low: atrBars.low.slice(0, 5),
      close: atrBars.close.slice(0, 5),
    };
    const { columns } = computeIndicator('keltner', bars, { period: 3, atrPeriod: 2, multiplier: 2 });
    // EMA(3), k = 0.5, seeded with mean(9, 10, 11) = 10: 10, 11.25, 10.375
    expect([...columns.middle!]).toEqual([NaN_, NaN_, 10, 11.25, 10.375]);
    expect([...columns.upper!]).toEqual([NaN_, NaN_, 14, 15.25, 15.875]);
    expect([...columns.lower!]).toEqual([NaN_, NaN_, 6, 7.25, 4.875]);
  });
});
