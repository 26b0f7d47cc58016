import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStoreCompactor,
  createStoreReader,
  createStoreWriter,
  type StoreReader,
  type StoreWriter,
} from '../index.ts';
import { loadBinanceSpotTrades } from '../testing/recorded-trades.ts';
import { tempStore, toBarRows } from '../testing/temp-store.ts';

const S = { venue: 'BINANCE', symbol: 'BTCUSDT' };
const trades = loadBinanceSpotTrades();
// The recording's days are long over, so two small files of a day are enough to merge.
const store = tempStore({ compaction: { minFiles: 2 }, gc: { retentionMs: 0 } });
let writer: StoreWriter;
let reader: StoreReader;

function parquetFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.parquet'));
}

beforeAll(async () => {
  writer = await createStoreWriter({}, store.config);
  reader = await createStoreReader({}, store.config);
  // Ten flushes of ~2000 trades each, and the 1m bars in three flushes with revisions.
  for (let i = 0; i < trades.length; i += 2000) {
    await writer.appendTrades(trades.slice(i, i + 2000));
    await writer.flush();
  }
  const bars = toBarRows(S.venue, S.symbol, await reader.barsFromTrades({ ...S, period: '1m' }));
  await writer.appendBars(bars.map((b) => ({ ...b, close: '1', revision: 0 })));
  await writer.flush();
  await writer.appendBars(bars.map((b) => ({ ...b, revision: 1 })));
  await writer.flush();
  await writer.appendBars(bars.slice(0, 3).map((b) => ({ ...b, close: '2', revision: 0 })));
  await writer.flush();
});

afterAll(async () => {
  await writer.close();
  reader.close();
  store.cleanup();
});

describe('compaction', () => {
  it('merges small files into one per partition without changing any answer', async () => {
    const before = {
      trades: await reader.getTrades({ ...S, fromSeq: 1 }),
      bars: await reader.getBars({ ...S, period: '1m', fromUs: 0 }),
      hours: await reader.getBars({ ...S, period: '1h', fromUs: 0 }),
      last: await reader.getBars({ ...S, period: '1m', limit: 5 }),
      seq: await reader.timeToSeq({ ...S, timeUs: trades[5000]!.timeUs }),
    };
    expect(before.trades).toHaveLength(19_904);
    expect(before.bars.every((b) => b.revision === 1 && b.close !== '1' && b.close !== '2')).toBe(true);
    const filesBefore = reader.describeSeries().reduce((n, s) => n + s.files, 0);

    const compactor = await createStoreCompactor({}, store.config);
    const report = await compactor.runOnce();
    await compactor.stop();

    expect(report.merged).toBe(4); // trades and bars_1m, two dates each
    expect(report.conflicts).toBe(0);
    const series = reader.describeSeries();
    expect(series.map((s) => [s.dataset, s.files, s.rows])).toEqual([
      ['bars_1m', 2, 12],
      ['trades', 2, 19_904],
    ]);
    expect(filesBefore).toBe(16); // 11 trade files (one flush spans midnight), 5 bar files
    expect(await reader.getTrades({ ...S, fromSeq: 1 })).toEqual(before.trades);
    expect(await reader.getBars({ ...S, period: '1m', fromUs: 0 })).toEqual(before.bars);
    expect(await reader.getBars({ ...S, period: '1h', fromUs: 0 })).toEqual(before.hours);
    expect(await reader.getBars({ ...S, period: '1m', limit: 5 })).toEqual(before.last);
    expect(await reader.timeToSeq({ ...S, timeUs: trades[5000]!.timeUs })).toEqual(before.seq);
    // GC (retention 0 here) deleted the merged-away files; only live files remain on disk.
    expect(report.gc.removedFiles).toBe(filesBefore);
    expect(parquetFiles(store.dir)).toHaveLength(4);
  });

  it('deletes orphans: files written but never committed', async () => {
    const { writeFileSync } = await import('node:fs');
    const orphan = join(store.dir, 'trades/venue=BINANCE/symbol=BTCUSDT/date=2024-08-08/000-1-dead.parquet');
    writeFileSync(orphan, 'half a file');
    const compactor = await createStoreCompactor({}, store.config);
    const report = await compactor.runOnce();
    await compactor.stop();
    expect(report.gc.orphanFiles).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    expect(await reader.getTrades({ ...S, fromSeq: 1, limit: 3 })).toHaveLength(3);
  });
});
