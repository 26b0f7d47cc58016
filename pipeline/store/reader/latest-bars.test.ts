import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import { createStoreReader, createStoreWriter, type StoreReader, type StoreWriter } from '../index.ts';
import { barsDataset, catalogKey } from '../layout.ts';
import { loadBinanceSpotTrades } from '../testing/recorded-trades.ts';
import { tempStore, toBarRows } from '../testing/temp-store.ts';
import type { StoredBar } from '../types.ts';
import { createFileRowCache } from './file-rows.ts';

const S = { venue: 'BINANCE', symbol: 'BTCUSDT' };
const MINUTE_US = 60_000_000;
const store = tempStore({ query: { resultCacheRows: 0 } });
let writer: StoreWriter;
/** Latest bars from the per-file row cache. */
let cached: StoreReader;
/** Always SQL (file cache off). */
let sql: StoreReader;
/** A file cache too small for the files: falls back to SQL. */
let tiny: StoreReader;
let minutes: StoredBar[];

beforeAll(async () => {
  writer = await createStoreWriter({}, store.config);
  cached = await createStoreReader({}, store.config);
  sql = await createStoreReader({}, { ...store.config, query: { ...store.config.query, fileCacheRows: 0 } });
  tiny = await createStoreReader({}, { ...store.config, query: { ...store.config.query, fileCacheRows: 3 } });
  await writer.appendTrades(loadBinanceSpotTrades());
  await writer.flush();
  // Real 1m bars (from the recorded BTCUSDT trades), stored in three commits: several files.
  minutes = await sql.barsFromTrades({ ...S, period: '1m' });
  const rows = toBarRows(S.venue, S.symbol, minutes);
  const third = Math.floor(rows.length / 3);
  for (const part of [rows.slice(0, third), rows.slice(third, 2 * third), rows.slice(2 * third)]) {
    await writer.appendBars(part);
    await writer.flush();
  }
});

afterAll(async () => {
  await writer.close();
  for (const r of [cached, sql, tiny]) r.close();
  store.cleanup();
});

/** Asserts the three readers give the same latest bars for each query, and returns them. */
async function same(queries: ReadonlyArray<{ limit: number; toUs?: number }>): Promise<StoredBar[][]> {
  const out: StoredBar[][] = [];
  for (const q of queries) {
    const want = await sql.getBars({ ...S, period: '1m', ...q });
    expect(await cached.getBars({ ...S, period: '1m', ...q })).toEqual(want);
    // Asked again: answered from decoded files, still the same.
    expect(await cached.getBars({ ...S, period: '1m', ...q })).toEqual(want);
    expect(await tiny.getBars({ ...S, period: '1m', ...q })).toEqual(want);
    out.push(want);
  }
  return out;
}

describe('latest bars from the per-file row cache', () => {
  it('answers exactly as SQL, across files and before a time bound', async () => {
    const n = minutes.length;
    expect(n).toBeGreaterThan(6);
    const mid = minutes[Math.floor(n / 2)]!.openTimeUs;
    const [one, some, all, before, inFile] = await same([
      { limit: 1 },
      { limit: Math.floor(n / 2) },
      { limit: n + 10 },
      { limit: 20, toUs: mid },
      { limit: 3, toUs: minutes[n - 2]!.openTimeUs },
    ]);
    expect(one).toEqual([minutes.at(-1)]);
    expect(some).toEqual(minutes.slice(n - Math.floor(n / 2)));
    expect(all).toEqual(minutes);
    // toUs is exclusive.
    expect(before!.at(-1)).toEqual(minutes[Math.floor(n / 2) - 1]);
    expect(inFile).toEqual(minutes.slice(n - 5, n - 2));
    expect(await cached.latestBar({ ...S, period: '1m' })).toEqual(minutes.at(-1));
  });

  it('sees a new commit at once', async () => {
    await cached.getBars({ ...S, period: '1m', limit: 30 });
    const last = minutes.at(-1)!;
    const next = {
      ...last,
      openTimeUs: last.openTimeUs + MINUTE_US,
      closeTimeUs: last.closeTimeUs + MINUTE_US,
    };
    await writer.appendBars(toBarRows(S.venue, S.symbol, [next]));
    await writer.flush();
    const [latest] = await same([{ limit: 30 }, { limit: minutes.length + 10 }]);
    expect(latest!.at(-1)).toEqual(next);
    expect(latest!.at(-2)).toEqual(last);
  });

  it('applies bar revisions written in newer files (highest revision, then latest written)', async () => {
    const n = minutes.length;
    const old = minutes[n - 10]!;
    const last = minutes.at(-1)!;
    const revised = { ...old, close: '1.5', revision: old.revision + 1 };
    // A revision of a bar in the oldest file too (reached only when the limit covers it).
    const first = { ...minutes[0]!, close: '2.5', revision: 1 };
    await writer.appendBars(toBarRows(S.venue, S.symbol, [revised, first]));
    await writer.flush();
    // A late lower revision loses; an equal revision written later wins.
    await writer.appendBars(
      toBarRows(S.venue, S.symbol, [
        { ...old, close: '9' },
        { ...last, close: '3.25' },
      ]),
    );
    await writer.flush();
    const [recent, all] = await same([{ limit: 20 }, { limit: n + 10 }, { limit: 1 }]);
    expect(recent!.find((b) => b.openTimeUs === old.openTimeUs)).toEqual(revised);
    expect(recent!.find((b) => b.openTimeUs === last.openTimeUs)).toMatchObject({ close: '3.25' });
    expect(all).toHaveLength(n + 1);
    expect(all![0]).toEqual(first);
    expect(new Set(all!.map((b) => b.openTimeUs)).size).toBe(n + 1);
  });

  it('answers small new files from the rows the catalog inlines, with the text SQL gives', async () => {
    const last = (await sql.getBars({ ...S, period: '1m', limit: 1 }))[0]!;
    const odd = {
      ...last,
      openTimeUs: last.openTimeUs + MINUTE_US,
      closeTimeUs: last.closeTimeUs + MINUTE_US,
      open: '007.50',
      high: '0010.000',
      low: '-0.000',
      close: '0.10',
      volume: '123456789012345678.123456789012345678',
      takerBuyVolume: '',
      makerVolume: '-000.0001',
      quoteVolume: '0',
      takerBuyQuoteVolume: '',
    };
    await writer.appendBars(toBarRows(S.venue, S.symbol, [odd]));
    await writer.flush();
    const catalog = createCatalog(store.dir, store.config.lock, { create: false });
    const entries = catalog.files(catalog.current(), catalogKey(barsDataset('1m'), S.venue, S.symbol));
    expect(entries.find((f) => f.minTimeUs === odd.openTimeUs)?.bars).toHaveLength(1);
    const [latest] = await same([{ limit: 5 }]);
    expect(latest!.at(-1)).toMatchObject({
      open: '7.5',
      high: '10',
      low: '0',
      close: '0.1',
      volume: '123456789012345678.123456789012345678',
      takerBuyVolume: '',
      makerVolume: '-0.0001',
      quoteVolume: '0',
    });
  });
});

describe('file row cache', () => {
  it('keeps at most maxRows rows, evicting the least recently used file', () => {
    const rows = (k: number) => ({ bars: new Array(k).fill(minutes[0]!), versions: new Array(k).fill(1) });
    const cache = createFileRowCache(10);
    cache.set('a', rows(4));
    cache.set('b', rows(4));
    expect(cache.get('a')).toBeDefined();
    cache.set('c', rows(4));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.bars).toHaveLength(4);
    expect(cache.rows()).toBe(8);
    cache.set('big', rows(11));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.rows()).toBe(8);
  });
});
