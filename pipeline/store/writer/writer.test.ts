import { readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createStoreCompactor, createStoreReader, createStoreWriter, StoreLockError } from '../index.ts';
import { loadBinanceSpotTrades } from '../testing/recorded-trades.ts';
import { tempStore } from '../testing/temp-store.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('store writer', () => {
  it('keeps accepted rows when a flush cannot commit, and commits them on the next flush', async () => {
    const store = tempStore({ lock: { timeoutMs: 100 } });
    cleanups.push(store.cleanup);
    const writer = await createStoreWriter({}, store.config);
    const reader = await createStoreReader({}, store.config);
    try {
      const trades = loadBinanceSpotTrades().slice(0, 1000);
      await writer.appendTrades(trades.slice(0, 500));
      // A live process (this one) holds the commit lock: the flush fails, retriably.
      const lock = join(store.dir, '_catalog', 'LOCK');
      writeFileSync(
        lock,
        JSON.stringify({ pid: process.pid, host: hostname(), createdMs: Date.now(), token: 't' }),
      );
      const failed = await writer.flush().catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(StoreLockError);
      expect((failed as StoreLockError).retriable).toBe(true);
      expect(writer.buffered).toBe(500);
      await writer.appendTrades(trades.slice(500));
      const { unlinkSync, readdirSync } = await import('node:fs');
      unlinkSync(lock);
      expect(await writer.flush()).toBe(1);
      expect(writer.buffered).toBe(0);
      const back = await reader.getTrades({ venue: 'BINANCE', symbol: 'BTCUSDT', fromSeq: 1 });
      expect(back.map((t) => t.seq)).toEqual(trades.map((t) => t.seq));
      // The failed flush's files were removed; only the committed file is on disk.
      const files = readdirSync(store.dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.parquet'),
      );
      expect(files).toHaveLength(1);
    } finally {
      await writer.close();
      reader.close();
    }
  });

  it('flushes on its own once maxRows are buffered', async () => {
    const store = tempStore({ flush: { maxRows: 300 } });
    cleanups.push(store.cleanup);
    const writer = await createStoreWriter({}, store.config);
    const reader = await createStoreReader({}, store.config);
    try {
      await writer.appendTrades(loadBinanceSpotTrades().slice(0, 299));
      expect(reader.version()).toBe(0);
      await writer.appendTrades(loadBinanceSpotTrades().slice(299, 301));
      expect(reader.version()).toBe(1);
      expect(reader.describeSeries()[0]?.rows).toBe(301);
    } finally {
      await writer.close();
      reader.close();
    }
  });

  it('writes flush files with snappy and compaction merges them into zstd, answers unchanged', async () => {
    const store = tempStore({ gc: { retentionMs: 0 } });
    cleanups.push(store.cleanup);
    const writer = await createStoreWriter({}, store.config);
    const reader = await createStoreReader({}, store.config);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const codecs = async () => {
      const files = readdirSync(store.dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.parquet'),
      );
      const list = files.map((f) => `'${join(store.dir, f)}'`).join(', ');
      const r = await conn.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata([${list}])`);
      return r.getRows().map((row) => String(row[0]));
    };
    try {
      // The first minutes of the recording (one UTC day, long over): two flushes, two files.
      const trades = loadBinanceSpotTrades().slice(0, 2000);
      await writer.appendTrades(trades.slice(0, 1000));
      await writer.flush();
      await writer.appendTrades(trades.slice(1000));
      await writer.flush();
      expect(await codecs()).toEqual(['SNAPPY']);
      const S = { venue: 'BINANCE', symbol: 'BTCUSDT', fromSeq: 1 };
      const before = await reader.getTrades(S);
      const compactor = await createStoreCompactor({}, store.config);
      await compactor.runOnce();
      await compactor.stop();
      expect(reader.describeSeries()[0]?.files).toBe(1);
      expect(await codecs()).toEqual(['ZSTD']);
      expect(await reader.getTrades(S)).toEqual(before);
    } finally {
      conn.closeSync();
      db.closeSync();
      await writer.close();
      reader.close();
    }
  });
});
