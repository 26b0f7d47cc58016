/**
 * Derived periods equal bars built straight from trades — every field — on real
 * BTCUSDT trades and XRP/ETH aggTrades, in batch and streaming form; revisions of a 1m
 * bar propagate to the bars above it.
 */
import { describe, expect, it } from 'vitest';
import { bucketStartUs, DERIVED_PERIODS } from '../../../core/periods/index.ts';
import { loadBtcusdtTrades, loadXrpethAggTrades, type RecordedTrade } from '../testing/recorded-trades.ts';
import { type BarState, buildBars, createBarsEngine, deriveBars, toBarMessage, toBarTrade } from './index.ts';

const toBarTrades = (trades: RecordedTrade[]) =>
  trades.map((t, i) => toBarTrade(i + 1, t.timeUs, t.price, t.quantity, t.aggressor, t.tradeCount));
const wire = (bars: BarState[]) => bars.map((b) => toBarMessage({ ...b, revision: 0, final: true }));

const datasets = {
  BTCUSDT: () => toBarTrades(loadBtcusdtTrades()),
  XRPETH: () => toBarTrades(loadXrpethAggTrades()),
};

describe.each(Object.entries(datasets))('%s: derived = built from trades', (_name, load) => {
  const trades = load();
  const bars1m = buildBars(trades, '1m');

  it.each(DERIVED_PERIODS)('batch %s, every field', (period) => {
    const direct = buildBars(trades, period);
    expect(wire(deriveBars(bars1m, period))).toEqual(wire(direct));
    expect(direct.length).toBeGreaterThan(0);
  });

  it('streaming engine: final 1m and derived bars equal the batch ones', () => {
    const engine = createBarsEngine({ allowedLatenessUs: 1_000_000, graceUs: 3_000_000 });
    const finals1m: BarState[] = [];
    const finalsDerived = new Map<string, BarState[]>();
    const collect = () => {
      const out = engine.drain();
      for (const u of out.bars1m) if (u.bar.final) finals1m.push(u.bar);
      for (const u of out.derived) {
        if (!u.bar.final) continue;
        const list = finalsDerived.get(u.bar.period) ?? [];
        list.push(u.bar);
        finalsDerived.set(u.bar.period, list);
      }
    };
    trades.forEach((t, i) => {
      expect(engine.add('S', t)).toBe('added');
      if (i % 97 === 0) collect();
    });
    engine.advance(Date.UTC(2030, 0, 1) * 1000);
    collect();
    expect(wire(finals1m)).toEqual(wire(bars1m));
    for (const period of DERIVED_PERIODS) {
      expect(wire(finalsDerived.get(period) ?? [])).toEqual(wire(buildBars(trades, period)));
    }
  });
});

describe('alignment and revisions', () => {
  it('1w buckets start Monday 00:00 UTC; 1d at UTC midnight', () => {
    const thu = Date.UTC(2024, 7, 8, 23, 54) * 1000; // Thursday
    expect(new Date(bucketStartUs('1w', thu) / 1000).toISOString()).toBe('2024-08-05T00:00:00.000Z');
    expect(new Date(bucketStartUs('1d', thu) / 1000).toISOString()).toBe('2024-08-08T00:00:00.000Z');
    expect(new Date(bucketStartUs('4h', thu) / 1000).toISOString()).toBe('2024-08-08T20:00:00.000Z');
    const monday = Date.UTC(2024, 7, 12) * 1000;
    expect(bucketStartUs('1w', monday)).toBe(monday);
    expect(bucketStartUs('1w', monday - 1)).toBe(monday - 7 * 86_400_000_000);
  });

  it('a late trade inside grace revises the 1m bar and the derived bars that hold it', () => {
    const MIN = 60_000_000;
    const T0 = Date.UTC(2024, 7, 9, 0, 0) * 1000;
    const engine = createBarsEngine({ periods: ['5m'], allowedLatenessUs: 0, graceUs: 30_000_000 });
    engine.add('S', toBarTrade(1, T0 + 1, '10', '1', 1));
    engine.add('S', toBarTrade(2, T0 + 5 * MIN + 1, '11', '1', 1)); // closes the 00:00 5m bar
    engine.drain();
    expect(engine.add('S', toBarTrade(3, T0 + 4 * MIN + 50_000_000, '7', '2', 2))).toBe('added'); // new 1m bar, inside grace
    const out = engine.drain();
    const fiveMin = out.derived.find((u) => u.bar.openTimeUs === T0)!.bar;
    expect([fiveMin.revision, fiveMin.low, fiveMin.volume, fiveMin.final]).toEqual([
      1,
      7n * 10n ** 18n,
      3n * 10n ** 18n,
      false,
    ]);
    engine.advance(T0 + 6 * MIN);
    const fin = engine.drain().derived.find((u) => u.bar.openTimeUs === T0)!.bar;
    expect([fin.revision, fin.final, fin.tradeCount, fin.lastSeq]).toEqual([1, true, 2, 3]);
  });
});
