import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedData } from '../../test/support/index.ts';
import { createStoreReader, createStoreWriter, type StoreReader, type StoreWriter } from './index.ts';
import { loadBinanceSpotAggTrades } from './testing/recorded-trades.ts';
import { tempStore, toBarRows } from './testing/temp-store.ts';

const S = { venue: 'BINANCE', symbol: 'XRPETH' };
const DAY = Date.UTC(2019, 9, 11) * 1000;
const MIN = 60_000_000;
const trades = loadBinanceSpotAggTrades();
const store = tempStore();
let writer: StoreWriter;
let reader: StoreReader;

beforeAll(async () => {
  writer = await createStoreWriter({}, store.config);
  reader = await createStoreReader({}, store.config);
  await writer.appendTrades(trades);
  await writer.flush();
  const bars = await reader.barsFromTrades({ ...S, period: '1m' });
  await writer.appendBars(toBarRows(S.venue, S.symbol, bars));
  await writer.flush();
});

afterAll(async () => {
  await writer.close();
  reader.close();
  store.cleanup();
});

function readCandles(name: string): number[][] {
  const csv = readFileSync(recordedData('candles', name), 'utf8');
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
}

describe('coverage and gaps on the illiquid XRP/ETH day', () => {
  it('1m bars and derived 5m bars equal freqtrade candles built from the same trades', async () => {
    for (const [period, file] of [
      ['1m', 'freqtrade-XRP_ETH-1m-from-trades-2019-10-11.csv'],
      ['5m', 'freqtrade-XRP_ETH-5m-from-trades-2019-10-11.csv'],
    ] as const) {
      const reference = readCandles(file);
      const bars = await reader.getBars({ ...S, period, fromUs: DAY, toUs: DAY + 1440 * MIN });
      expect(bars).toHaveLength(reference.length);
      bars.forEach((b, i) => {
        const [t, o, h, l, c, v] = reference[i]!;
        expect([b.openTimeUs / 1000, +b.open, +b.high, +b.low, +b.close, +b.volume]).toEqual([
          t,
          o,
          h,
          l,
          c,
          v,
        ]);
      });
      expect(bars).toEqual(await reader.barsFromTrades({ ...S, period }));
    }
  });

  it('finds the 413 empty minutes between the first and last trade', async () => {
    const first = Math.floor(trades[0]!.timeUs / MIN) * MIN;
    const last = Math.floor(trades.at(-1)!.timeUs / MIN) * MIN;
    const cov = await reader.barCoverage({ ...S, fromUs: first, toUs: last + MIN, maxGaps: 1000 });
    expect(cov).toMatchObject({ expected: 1435, present: 1022, missing: 413 });
    expect(cov.gaps.reduce((n, g) => n + g.missing, 0)).toBe(413);
    for (const g of cov.gaps) expect(g.toUs - g.fromUs).toBe(g.missing * MIN);
    // Over the whole UTC day, the 5 minutes after the last trade are missing too.
    const day = await reader.barCoverage({ ...S, fromUs: DAY, toUs: DAY + 1440 * MIN, maxGaps: 1000 });
    expect(day).toMatchObject({ expected: 1440, present: 1022, missing: 418, lastOpenUs: last });
    expect(day.gaps.at(-1)).toEqual({ fromUs: last + MIN, toUs: DAY + 1440 * MIN, missing: 5 });
  });

  it('has no trade-id holes, and finds removed aggTrades as one hole', async () => {
    expect(await reader.tradeGaps(S)).toMatchObject({ rows: trades.length, missingTradeIds: 0, seqHoles: 0 });
    const holed = tempStore();
    const w = await createStoreWriter({}, holed.config);
    const r = await createStoreReader({}, holed.config);
    try {
      // Leave out seq 94..98 (aggTrades 13519900..13519904).
      await w.appendTrades(trades.filter((t) => t.seq < 94 || t.seq > 98));
      await w.flush();
      const gaps = await r.tradeGaps(S);
      expect(gaps.rows).toBe(trades.length - 5);
      expect(gaps.seqHoles).toBe(5);
      const skipped = trades.slice(93, 98);
      const underlying = skipped.reduce((n, t) => n + Number(t.lastTradeId) - Number(t.firstTradeId) + 1, 0);
      expect(gaps.missingTradeIds).toBe(underlying);
      expect(gaps.holes).toEqual([
        {
          afterId: Number(trades[92]!.lastTradeId),
          beforeId: Number(trades[98]!.firstTradeId),
          afterTimeUs: trades[92]!.timeUs,
          beforeTimeUs: trades[98]!.timeUs,
        },
      ]);
    } finally {
      await w.close();
      r.close();
      holed.cleanup();
    }
  });
});
