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

  function worstRelative(actual: Float64Array, expected: (i: number) => number, from: number): number {
    let worst = 0;
    for (let i = from; i < actual.length; i++) {
      const e = expected(i);
      worst = Math.max(worst, e === 0 ? Math.abs(actual[i]!) : Math.abs(actual[i]! - e) / e);
    }
    return worst;
  }

  /**
   * Exact population std of the window ending at `i`: the closes are on a 0.1 tick, so in
   * tick units p·Σk² - (Σk)² is an integer below 2^53 (p <= 200), and only the final
   * division and root round.
   */
  const ticks = close.map((c) => Math.round(c * 10));
  function exactStd(i: number, period: number): number {
    let s1 = 0;
    let s2 = 0;
    for (let j = i - period + 1; j <= i; j++) {
      s1 += ticks[j]!;
      s2 += ticks[j]! * ticks[j]!;
    }
    return Math.sqrt((period * s2 - s1 * s1) / (period * period * 100));
  }

  it('the closes sit exactly on a 0.1 tick (what exactStd relies on)', () => {
    expect(close.every((c, i) => ticks[i]! / 10 === c)).toBe(true);
  });

  for (const period of [2, 5, 20, 200]) {
    it(`STDDEV(${period}) is within 1e-9 relative of the exact std on BTC closes`, () => {
      // Bound of the method: sums are rebuilt once cancellation could pass ~1e-10, so what
      // is left is that plus rounding (measured: 2.8e-10 at period 2, where the std can be
      // half a tick at 20,000; 1e-12 at 20). E[x²]-E[x]² was 1.5e-7 off at period 20.
      const sd = stddev(close, period, 2);
      expect(Number.isNaN(sd[period - 2]!)).toBe(true);
      expect(worstRelative(sd, (i) => 2 * exactStd(i, period), period - 1)).toBeLessThan(1e-9);
    });
  }

  it('STDDEV/BBANDS keep a cent-sized deviation at 61,000 (E[x²]-E[x]² was up to 2% off)', () => {
    // 61000.00, 61000.01, 61000.00, ...: every even window has std 0.005 (to the binary
    // representation of the two prices); the old running E[x²]-E[x]² cancelled 9 digits.
    const cents = Float64Array.from({ length: 400 }, (_, i) => (i % 2 ? 61000.01 : 61000));
    const expected = (61000.01 - 61000) / 2;
    for (const period of [20, 200]) {
      expect(worstRelative(stddev(cents, period, 1), () => expected, period - 1)).toBeLessThan(1e-12);
    }
    const bands = bbands(cents, 20, 2, 2);
    expect(Math.abs(bands.upper[399]! - bands.lower[399]! - 4 * expected) / (4 * expected)).toBeLessThan(
      1e-9,
    );
  });

  it('STDDEV is exactly 0 on a flat window, also right after a spike leaves it', () => {
    const flat = Float64Array.from({ length: 60 }, (_, i) => (i === 10 ? 1e6 : 61000.01));
    const sd = stddev(flat, 5, 1);
    for (let i = 4; i < 10; i++) expect(sd[i]).toBe(0);
    for (let i = 10; i < 15; i++) expect(sd[i]).toBeGreaterThan(0);
    for (let i = 15; i < 60; i++) expect(sd[i]).toBe(0);
  });

  it('keeps STDDEV/BBANDS/RSI alive on low-priced assets (no fixed epsilon on the variance)', () => {
    // BTC prices times 2^-40 (~2e-8, variances ~1e-24, which TA-Lib <= 0.6's 1e-14 band
    // zeroed): a power of two scales every operation exactly, so the result must too.
    const scale = 2 ** -40;
    const tiny = close.map((c) => c * scale);
    expect([...stddev(tiny, 20, 1)]).toEqual([...stddev(close, 20, 1).map((v) => v * scale)]);
    const tinyBands = bbands(tiny, 20);
    expect([...tinyBands.upper]).toEqual([...bbands(close, 20).upper.map((v) => v * scale)]);
    expect(tinyBands.upper[50]).toBeGreaterThan(tinyBands.lower[50]!);
    const r = rsi(
      close.map((c) => c * 1e-7),
      14,
    );
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
