import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { tryCanonicalDecimal } from '../../../core/decimal/index.ts';

const storedDecimalText = (s: string): string => tryCanonicalDecimal(s) ?? s;

import { createStoreReader, createStoreWriter, type TradeRow } from '../index.ts';
import { loadBinanceSpotTrades } from '../testing/recorded-trades.ts';
import { tempStore } from '../testing/temp-store.ts';
import { constantOf, runStart } from './trade-stage.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const SCHEMA = [
  ['seq', 'BIGINT'],
  ['time_us', 'BIGINT'],
  ['trade_id', 'VARCHAR'],
  ['price', 'DECIMAL(38,18)'],
  ['quantity', 'DECIMAL(38,18)'],
  ['quote_quantity', 'DECIMAL(38,18)'],
  ['side', 'UTINYINT'],
  ['first_trade_id', 'BIGINT'],
  ['last_trade_id', 'BIGINT'],
  ['trade_count', 'UINTEGER'],
  ['best_match', 'BOOLEAN'],
];

describe('trade stage', () => {
  it('finds runs and constants', () => {
    expect(runStart([5, 6, 7])).toBe(5);
    expect(runStart([5, 7])).toBeNull();
    expect(runStart([null, 1])).toBeNull();
    expect(constantOf([1, 1, 1])).toBe(1);
    expect(constantOf([true, false])).toBeUndefined();
    expect(constantOf([null, null])).toBeUndefined();
  });

  it('stores computed columns (seq and id runs, constants) exactly as staged ones, with the same schema', async () => {
    const store = tempStore();
    cleanups.push(store.cleanup);
    const writer = await createStoreWriter({}, store.config);
    const reader = await createStoreReader({}, store.config);
    const real = loadBinanceSpotTrades().slice(0, 300);
    const S = { venue: 'BINANCE', symbol: 'BTCUSDT' };
    // Batch 1: the recording as is (seq and trade id runs, count 1, best match constant).
    const b1 = real.slice(0, 100);
    // Batch 2: a trade id gap, varying counts and best match, explicit first/last ids.
    const b2: TradeRow[] = real.slice(100, 200).map((t, k) => ({
      ...t,
      tradeId: String(Number(t.tradeId) + (k > 50 ? 7 : 0)),
      tradeCount: 1 + (k % 3),
      firstTradeId: k % 4 === 0 ? String(Number(t.tradeId) - 2) : undefined,
      bestMatch: k % 5 !== 0,
      aggressor: 1,
    }));
    // Batch 3: non-numeric ids, seqs going backwards (deduplicated, sorted), no quote quantity.
    const b3: TradeRow[] = real.slice(200, 300).map((t, k) => ({
      ...t,
      seq: k < 50 ? t.seq : t.seq - 50,
      tradeId: `x${t.tradeId}`,
      quoteQuantity: k % 2 === 0 ? undefined : t.quoteQuantity,
    }));
    try {
      for (const b of [b1, b2, b3]) {
        await writer.appendTrades(b);
        await writer.flush();
      }
      const expected = new Map<number, TradeRow>();
      for (const t of [...b1, ...b2, ...b3]) if (!expected.has(t.seq)) expected.set(t.seq, t);
      const back = await reader.getTrades({ ...S, fromSeq: 1 });
      expect(back.map((t) => t.seq)).toEqual([...expected.keys()].sort((a, b) => a - b));
      for (const got of back) {
        const t = expected.get(got.seq)!;
        const numeric = /^\d+$/.test(t.tradeId);
        expect(got).toEqual({
          seq: t.seq,
          timeUs: t.timeUs,
          tradeId: t.tradeId,
          price: storedDecimalText(t.price),
          quantity: storedDecimalText(t.quantity),
          quoteQuantity: t.quoteQuantity === undefined ? '' : storedDecimalText(t.quoteQuantity),
          aggressor: t.aggressor,
          firstTradeId: t.firstTradeId ?? (numeric ? t.tradeId : ''),
          lastTradeId: t.lastTradeId ?? (numeric ? t.tradeId : ''),
          tradeCount: t.tradeCount ?? 1,
          bestMatch: t.bestMatch ?? false,
        });
      }
      const files = reader.describeSeries({ dataset: 'trades' });
      expect(files[0]?.files).toBe(3);
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      const paths = readdirSync(store.dir, { recursive: true, encoding: 'utf8' }).filter((p) =>
        p.endsWith('.parquet'),
      );
      expect(paths).toHaveLength(3);
      for (const p of paths) {
        const d = await conn.runAndReadAll(
          `DESCRIBE SELECT * FROM read_parquet('${join(store.dir, p)}', hive_partitioning = false)`,
        );
        expect(d.getRows().map((row) => [row[0], row[1]])).toEqual(SCHEMA);
      }
      conn.closeSync();
      db.closeSync();
    } finally {
      reader.close();
      await writer.close();
    }
  });
});
