import { describe, expect, it } from 'vitest';
import { bbands, macd, rollingMax, rollingMin, rsi, sar, stddev, trima, ultosc, wma } from './index.ts';
import { loadTalibReference } from './reference-data.ts';

/**
 * Non-default parameters against straightforward textbook implementations (direct
 * window sums), on the real closes: catches errors in the O(1) sliding updates for
 * paths the TA-Lib file does not exercise (odd TRIMA, other periods, swapped args).
 * Bound 1e-10 relative: the running sums (TA-Lib's algorithm, kept for bit equality)
 * drift by ~1e-12 relative over 3,000 bars versus a fresh window sum.
 */
const SLIDING_REL = 1e-10;
const ref = loadTalibReference();
const close = ref.columns.close!.subarray(0, 3000);
const high = ref.columns.high!.subarray(0, 3000);
const low = ref.columns.low!.subarray(0, 3000);

function weighted(src: Float64Array, i: number, weights: number[]): number {
  let acc = 0;
  let total = 0;
  weights.forEach((w, j) => {
    acc += src[i - weights.length + 1 + j]! * w;
    total += w;
  });
  return acc / total;
}

function expectClose(actual: Float64Array, expected: (i: number) => number, from: number, rel: number): void {
  for (let i = 0; i < from; i++) expect(Number.isNaN(actual[i]!), `NaN before ${from} (at ${i})`).toBe(true);
  for (let i = from; i < actual.length; i++) {
    const e = expected(i);
    expect(Math.abs(actual[i]! - e), `at ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(
      rel * Math.max(1, Math.abs(e)),
    );
  }
}

describe('sliding-window kernels against direct window sums', () => {
  for (const period of [2, 3, 4, 5, 9, 21, 50]) {
    it(`TRIMA(${period}) has tent weights (${period % 2 ? 'odd' : 'even'} period)`, () => {
      const half = period >> 1;
      const w = Array.from({ length: period }, (_, j) =>
        period % 2 ? Math.min(j + 1, period - j) : Math.min(j + 1, period - j, half),
      );
      expectClose(trima(close, period), (i) => weighted(close, i, w), period - 1, SLIDING_REL);
    });

    it(`WMA(${period}) has weights 1..period`, () => {
      const w = Array.from({ length: period }, (_, j) => j + 1);
      expectClose(wma(close, period), (i) => weighted(close, i, w), period - 1, SLIDING_REL);
    });

    it(`rolling max/min(${period}) equal the window extremes`, () => {
      const hi = rollingMax(high, period);
      const lo = rollingMin(low, period);
      for (let i = period - 1; i < high.length; i++) {
        expect(hi[i]).toBe(Math.max(...high.subarray(i - period + 1, i + 1)));
        expect(lo[i]).toBe(Math.min(...low.subarray(i - period + 1, i + 1)));
      }
    });
  }

  it('STDDEV (running sums, as TA-Lib) stays within 1e-6 of a two-pass population std', () => {
    const period = 20;
    expectClose(
      stddev(close, period, 2),
      (i) => {
        const win = close.subarray(i - period + 1, i + 1);
        const mean = win.reduce((a, b) => a + b, 0) / period;
        return 2 * Math.sqrt(win.reduce((a, b) => a + (b - mean) ** 2, 0) / period);
      },
      period - 1,
      1e-6,
    );
  });

  it("keeps STDDEV/BBANDS/RSI alive on a low-priced asset (TA-Lib 0.6 epsilon 1e-14, not 0.4's 1e-8)", () => {
    // BTC prices scaled to ~1.7e-3 (a low-priced coin): variances ~1e-13, zeroed by a 1e-8 band
    const tiny = close.map((c) => c * 1e-7);
    const sd = stddev(tiny, 20, 1);
    const ref20 = stddev(close, 20, 1);
    for (let i = 19; i < 200; i++) expect(sd[i]! / 1e-7).toBeCloseTo(ref20[i]!, 2);
    expect(bbands(tiny, 20).upper[50]).toBeGreaterThan(bbands(tiny, 20).lower[50]!);
    const r = rsi(tiny, 14);
    const rr = rsi(close, 14);
    for (let i = 14; i < 200; i++) expect(r[i]).toBeCloseTo(rr[i]!, 6);
  });

  it('BBANDS with different up/down deviations', () => {
    const a = bbands(close, 10, 1, 3);
    const sd = stddev(close, 10, 1);
    expectClose(a.upper, (i) => a.middle[i]! + sd[i]!, 9, 1e-9);
    expectClose(a.lower, (i) => a.middle[i]! - 3 * sd[i]!, 9, 1e-9);
  });

  it('SAR with acceleration above the maximum steps by the maximum, as TA-Lib clamps it', () => {
    expect([...sar(high, low, 0.5, 0.2)]).toEqual([...sar(high, low, 0.2, 0.2)]);
    expect([...sar(high, low, 0.5, 0.2)]).not.toEqual([...sar(high, low, 0.02, 0.2)]);
  });

  it('MACD with fast > slow swaps them like TA-Lib; ULTOSC sorts its periods', () => {
    expect([...macd(close, 26, 12, 9).macd]).toEqual([...macd(close, 12, 26, 9).macd]);
    expect([...ultosc(high, low, close, 28, 7, 14)]).toEqual([...ultosc(high, low, close, 7, 14, 28)]);
  });
});
