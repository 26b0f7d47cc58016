import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryCanonicalDecimal } from '../../core/decimal/index.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { createStoreReader, createStoreWriter, type StoreReader, type StoreWriter } from './index.ts';
import { loadBinanceSpotTrades } from './testing/recorded-trades.ts';
import { tempStore, toBarRows } from './testing/temp-store.ts';

const S = { venue: 'BINANCE', symbol: 'BTCUSDT' };
const trades = loadBinanceSpotTrades();
const store = tempStore();
/** The text the store returns for a decimal it was given ('' stays '', as an absent value). */
const canon = (s: string): string => tryCanonicalDecimal(s) ?? s;
let writer: StoreWriter;
let reader: StoreReader;

beforeAll(async () => {
  writer = await createStoreWriter({}, store.config);
  reader = await createStoreReader({}, store.config);
  await writer.appendTrades(trades);
  await writer.flush();
  // 1m bars built in SQL from the stored trades, stored as the bars_1m dataset.
  const oneMinute = await reader.barsFromTrades({ ...S, period: '1m' });
  await writer.appendBars(toBarRows(S.venue, S.symbol, oneMinute));
  await writer.flush();
});

afterAll(async () => {
  await writer.close();
  reader.close();
  store.cleanup();
});

describe('store round trip on real BTCUSDT trades', () => {
  it('keeps every trade exactly, split into the two UTC date partitions', async () => {
    const [summary] = reader.describeSeries({ dataset: 'trades' });
    expect(summary).toMatchObject({ rows: 19_904, files: 2, minSeq: 1, maxSeq: 19_904 });
    expect(summary?.dates).toEqual(['2024-08-08', '2024-08-09']);
    const back = await reader.getTrades({ ...S, fromSeq: 1, toSeq: 19_904 });
    expect(back).toHaveLength(trades.length);
    for (let i = 0; i < trades.length; i += 1) {
      const a = trades[i]!;
      const b = back[i]!;
      if (
        b.seq !== a.seq ||
        b.timeUs !== a.timeUs ||
        b.tradeId !== a.tradeId ||
        b.price !== canon(a.price) ||
        b.quantity !== canon(a.quantity) ||
        b.quoteQuantity !== canon(a.quoteQuantity ?? '') ||
        b.aggressor !== a.aggressor
      ) {
        expect(b).toEqual(a);
      }
    }
  });

  it('answers time ranges across midnight', async () => {
    const mid = Date.UTC(2024, 7, 9) * 1000;
    const around = await reader.getTrades({ ...S, fromUs: mid - 1_000_000, toUs: mid + 1_000_000 });
    expect(around.length).toBeGreaterThan(0);
    expect(around.every((t) => t.timeUs >= mid - 1_000_000 && t.timeUs < mid + 1_000_000)).toBe(true);
    expect(around.some((t) => t.timeUs < mid) && around.some((t) => t.timeUs >= mid)).toBe(true);
  });

  it('round-trips seq -> time -> seq', async () => {
    for (const seq of [1, 2, 875, 9738, 9739, 12_345, 19_904]) {
      const time = await reader.seqToTime({ ...S, seq });
      expect(time).toBe(trades[seq - 1]!.timeUs);
      const first = await reader.timeToSeq({ ...S, timeUs: time! });
      const last = await reader.timeToSeq({ ...S, timeUs: time!, direction: 'atOrBefore' });
      // Many trades share a millisecond: seq lies between the first and last trade of its time.
      expect(first!.timeUs).toBe(time);
      expect(first!.seq).toBeLessThanOrEqual(seq);
      expect(last!.seq).toBeGreaterThanOrEqual(seq);
      expect(trades.filter((t) => t.timeUs === time).map((t) => t.seq)).toEqual(
        Array.from({ length: last!.seq - first!.seq + 1 }, (_, k) => first!.seq + k),
      );
    }
    expect(await reader.seqToTime({ ...S, seq: 19_905 })).toBeNull();
    expect(await reader.timeToSeq({ ...S, timeUs: trades.at(-1)!.timeUs + 1 })).toBeNull();
  });

  it('derives 1h and 1d bars from stored 1m bars equal to bars built straight from trades', async () => {
    for (const period of ['5m', '1h', '1d', '1w']) {
      const derived = await reader.getBars({ ...S, period, fromUs: 0 });
      const reference = await reader.barsFromTrades({ ...S, period });
      expect(derived.length).toBeGreaterThan(0);
      expect(derived).toEqual(reference);
    }
    const daily = await reader.getBars({ ...S, period: '1d', fromUs: 0 });
    expect(daily.map((b) => b.openTimeUs)).toEqual([
      Date.UTC(2024, 7, 8) * 1000,
      Date.UTC(2024, 7, 9) * 1000,
    ]);
    expect(daily.reduce((n, b) => n + b.tradeCount, 0)).toBe(19_904);
    // Weeks start on Monday 00:00 UTC (2024-08-05); months on the 1st.
    const [week] = await reader.getBars({ ...S, period: '1w', fromUs: 0 });
    expect(week!.openTimeUs).toBe(Date.UTC(2024, 7, 5) * 1000);
    const [month] = await reader.getBars({ ...S, period: '1M', limit: 5 });
    expect(month).toMatchObject({
      openTimeUs: Date.UTC(2024, 7, 1) * 1000,
      closeTimeUs: Date.UTC(2024, 8, 1) * 1000,
    });
    expect(month).toEqual({
      ...week,
      period: '1M',
      openTimeUs: month!.openTimeUs,
      closeTimeUs: month!.closeTimeUs,
    });
  });

  it('returns the latest bars and the latest bar', async () => {
    const all = await reader.getBars({ ...S, period: '1m', fromUs: 0 });
    expect(all).toHaveLength(12);
    const last3 = await reader.getBars({ ...S, period: '1m', limit: 3 });
    expect(last3).toEqual(all.slice(-3));
    // Answers come from a result cache on repeat; callers get their own arrays.
    last3.reverse();
    expect(await reader.getBars({ ...S, period: '1m', limit: 3 })).toEqual(all.slice(-3));
    expect(await reader.latestBar({ ...S, period: '1m' })).toEqual(all.at(-1));
    const hours = await reader.getBars({ ...S, period: '1h', limit: 1 });
    expect(hours).toHaveLength(1);
    expect(hours[0]!.openTimeUs).toBe(Date.UTC(2024, 7, 9) * 1000);
  });

  it('reports no trade-id holes in the contiguous recording', async () => {
    const gaps = await reader.tradeGaps(S);
    expect(gaps).toMatchObject({
      rows: 19_904,
      missingTradeIds: 0,
      seqHoles: 0,
      firstTradeId: 3_735_683_259,
    });
    expect(gaps.lastTradeId).toBe(3_735_703_162);
  });
});

describe('bar revisions', () => {
  it('a later revision of a bar replaces the earlier one, in another flush', async () => {
    const [bar] = await reader.getBars({ ...S, period: '1m', limit: 1 });
    const revised = { ...bar!, ...S, close: '61000.5', revision: bar!.revision + 1, final: true };
    await writer.appendBars([revised]);
    await writer.flush();
    const [after] = await reader.getBars({ ...S, period: '1m', limit: 1 });
    expect(after).toMatchObject({ close: '61000.5', revision: 1, final: true });
    // An older revision arriving late does not win.
    await writer.appendBars([{ ...bar!, ...S, close: '1', revision: 0 }]);
    await writer.flush();
    const [still] = await reader.getBars({ ...S, period: '1m', limit: 1 });
    expect(still!.close).toBe('61000.5');
    expect(await reader.getBars({ ...S, period: '1m', fromUs: 0 })).toHaveLength(12);
  });
});

describe('input checks', () => {
  it('rejects a bad decimal naming the row and field, keeping nothing of the call', async () => {
    const before = writer.buffered;
    const bad = [trades[0]!, { ...trades[1]!, price: '1e5' }];
    await expect(writer.appendTrades(bad)).rejects.toThrow(InvalidInputError);
    await expect(writer.appendTrades(bad)).rejects.toThrow(/trades\[1\]\.price/);
    expect(writer.buffered).toBe(before);
    await expect(writer.appendTrades([{ ...trades[0]!, symbol: '../etc' }])).rejects.toThrow(/symbol/);
  });

  it('rejects an unknown period naming the valid ones', async () => {
    await expect(reader.getBars({ ...S, period: '7m' })).rejects.toThrow(/valid: 1m, 3m/);
  });
});

describe('symbol registry', () => {
  it('upserts, lists and gets SymbolInfo rows', async () => {
    const btc = {
      exchangeId: 'BINANCE',
      marketId: 'BTC/USDT',
      venueSymbol: 'BTCUSDT',
      marketType: 1,
      description: 'Bitcoin / TetherUS',
      columns: ['price', 'quantity'],
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      earliestTimeUs: 1_502_942_400_000_000,
      tickSize: '0.01',
      lotSize: '0.00001',
      supportedPeriods: ['1m', '1h'],
      status: 'TRADING',
      contractSize: '',
    };
    await writer.upsertSymbols([
      btc,
      { ...btc, marketId: 'XRP/ETH', venueSymbol: 'XRPETH', tickSize: '0.00000001' },
    ]);
    await writer.upsertSymbols([
      { ...btc, venueSymbol: 'XRPETH', marketId: 'XRP/ETH', tickSize: '0.0000001' },
    ]);
    const list = await reader.listSymbols('BINANCE');
    expect(list.map((s) => s.venueSymbol)).toEqual(['BTCUSDT', 'XRPETH']);
    expect(await reader.getSymbol('BINANCE', 'BTCUSDT')).toEqual(btc);
    expect((await reader.getSymbol('BINANCE', 'XRPETH'))?.tickSize).toBe('0.0000001');
    expect(await reader.getSymbol('BINANCE', 'NOPE')).toBeNull();
    await expect(writer.upsertSymbols([{ ...btc, marketType: 'spot' }])).rejects.toThrow(
      /symbols\[0\]\.marketType/,
    );
  });
});
