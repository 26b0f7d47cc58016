import { describe, expect, it } from 'vitest';
import type { AggTradeRow } from '../data/trades.ts';
import { aggregateTrades, type TradeRow } from '../data/trades.ts';
import { bucketOf, buildKlines, selectKlines } from './klines.ts';

const T0 = Date.UTC(2024, 7, 8, 23, 54); // a minute boundary

function agg(a: number, p: string, q: string, T: number, m: boolean, f = a, l = a): AggTradeRow {
  return { a, p, q, f, l, T, m, M: true };
}

describe('buildKlines', () => {
  it('builds OHLCV, taker volume, trade count and exact quote volume per bucket', () => {
    const rows = [
      agg(1, '10.50', '2.000', T0 + 1, false),
      agg(2, '11.00', '1.000', T0 + 2, true, 2, 4),
      agg(3, '10.00', '0.500', T0 + 59_999, false),
      agg(4, '12.25', '1.000', T0 + 60_000, true),
    ];
    const k = buildKlines(rows, '1m');
    expect(k).toEqual([
      [
        T0,
        '10.50',
        '11.00',
        '10.00',
        '10.00',
        '3.500',
        T0 + 59_999,
        '37.00000000',
        5,
        '2.500',
        '26.00000000',
        '0',
      ],
      [
        T0 + 60_000,
        '12.25',
        '12.25',
        '12.25',
        '12.25',
        '1.000',
        T0 + 119_999,
        '12.25000000',
        1,
        '0.000',
        '0.00000000',
        '0',
      ],
    ]);
  });

  it('fills bars with no trade flat at the previous close with zero volume', () => {
    const rows = [agg(1, '1.5', '1', T0, false), agg(2, '2.5', '1', T0 + 3 * 60_000, false)];
    const k = buildKlines(rows, '1m');
    expect(k.map((r) => [r[0], r[1], r[4], r[5], r[8]])).toEqual([
      [T0, '1.5', '1.5', '1', 1],
      [T0 + 60_000, '1.5', '1.5', '0', 0],
      [T0 + 120_000, '1.5', '1.5', '0', 0],
      [T0 + 180_000, '2.5', '2.5', '1', 1],
    ]);
  });

  it('aligns weeks to Monday and months to the calendar', () => {
    // 2024-08-08 was a Thursday; its week opened Monday 2024-08-05.
    expect(bucketOf(T0, '1w').open).toBe(Date.UTC(2024, 7, 5));
    expect(bucketOf(T0, '1M')).toEqual({ open: Date.UTC(2024, 7, 1), next: Date.UTC(2024, 8, 1) });
  });
});

describe('selectKlines', () => {
  const all = buildKlines(
    Array.from({ length: 10 }, (_, i) => agg(i + 1, '1', '1', T0 + i * 60_000, false)),
    '1m',
  );
  it('takes the first `limit` from startTime, or the last `limit` up to endTime', () => {
    expect(selectKlines(all, { startTime: T0 + 1, limit: 2 }).map((r) => r[0])).toEqual([
      T0 + 60_000,
      T0 + 120_000,
    ]);
    expect(selectKlines(all, { endTime: T0 + 120_000, limit: 2 }).map((r) => r[0])).toEqual([
      T0 + 60_000,
      T0 + 120_000,
    ]);
    expect(selectKlines(all, { limit: 1 }).map((r) => r[0])).toEqual([T0 + 9 * 60_000]);
  });
});

describe('aggregateTrades', () => {
  it('groups consecutive trades at one price, time and side, with contiguous aggregate ids', () => {
    const t = (id: number, price: string, qty: string, timeMs: number, m: boolean): TradeRow => ({
      id,
      price,
      qty,
      timeMs,
      isBuyerMaker: m,
      isBestMatch: true,
    });
    const out = aggregateTrades(
      [t(7, '1.0', '0.10', 5, true), t(8, '1.0', '0.25', 5, true), t(9, '1.0', '1.00', 5, false)],
      100,
    );
    expect(out).toEqual([
      { a: 100, p: '1.0', q: '0.35', f: 7, l: 8, T: 5, m: true, M: true },
      { a: 101, p: '1.0', q: '1.00', f: 9, l: 9, T: 5, m: false, M: true },
    ]);
  });
});
