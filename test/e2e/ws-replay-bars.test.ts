/**
 * The pipeline issue's first acceptance check: 1m bars from the BTCUSDT spot WS recording,
 * ingested through the venue simulator's websocket (the real Binance adapter talking to it),
 * equal bars computed with DuckDB SQL straight from the same trades, every field; and the
 * same replay with every message sent twice and reordered gives identical bars.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createEmbeddedBus } from '../../pipeline/bus/index.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import { processorsConfigSchema } from '../../pipeline/processors/index.ts';
import { startPipeline } from '../../pipeline/runtime/pipeline.ts';
import type { StoredBar } from '../../pipeline/store/index.ts';
import { tempStore } from '../../pipeline/store/testing/temp-store.ts';
import { createBinanceVenue } from '../../pipeline/venues/binance/index.ts';
import { createVenueSimulator } from '../../pipeline/venues/simulator/index.ts';
import { recordedData, until } from '../support/index.ts';

const RECORDINGS = [
  recordedData('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
  recordedData('binance-ws-recorded', 'spot', 'btcusdt_20240809.gz'),
];
const TRADES_CSV = recordedData('trades', 'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz');
const TRADE_COUNT = 19_904; // PROVENANCE: every trade of the two spot files

const logger = createLogger({ name: 'e2e', level: 'silent' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** 1m bars computed by DuckDB SQL directly from the trades CSV (the same trades the recording holds). */
async function referenceBars(): Promise<string[]> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const d = 'DECIMAL(20,8)';
  const reader = await con.runAndReadAll(`
    WITH t AS (
      SELECT id, price::${d} AS p, qty::${d} AS q, time AS ms, buyer_maker = 'False' AS taker_buy
      FROM read_csv('${TRADES_CSV}', header = false,
        columns = {'id': 'BIGINT', 'price': 'VARCHAR', 'qty': 'VARCHAR', 'quote': 'VARCHAR', 'time': 'BIGINT', 'buyer_maker': 'VARCHAR', 'best': 'VARCHAR'}))
    SELECT ms // 60000 * 60000 AS open_time,
      arg_min(p, id), max(p), min(p), arg_max(p, id), sum(q),
      sum(CASE WHEN taker_buy THEN q ELSE 0 END), sum(CASE WHEN taker_buy THEN 0 ELSE q END),
      count(*), sum(p * q), sum(CASE WHEN taker_buy THEN p * q ELSE 0 END)
    FROM t GROUP BY 1 ORDER BY 1`);
  const canon = (v: unknown) =>
    String(v)
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '');
  return reader.getRows().map((r) => r.map(canon).join(','));
}

function asRows(bars: readonly StoredBar[]): string[] {
  return bars.map((b) =>
    [
      b.openTimeUs / 1000,
      b.open,
      b.high,
      b.low,
      b.close,
      b.volume,
      b.takerBuyVolume,
      b.makerVolume,
      b.tradeCount,
      b.quoteVolume,
      b.takerBuyQuoteVolume,
    ].join(','),
  );
}

/** Replays the recording through the simulator's WS into the whole pipeline; returns the stored 1m bars. */
async function replayThroughSimulator(faults: {
  duplicate?: boolean;
  reorderWindow?: number;
}): Promise<StoredBar[]> {
  const store = tempStore();
  cleanups.push(store.cleanup);
  const sim = createVenueSimulator({}, { wsRecordings: RECORDINGS, speed: 'max', faults });
  await sim.start();
  cleanups.push(() => sim.stop());
  const bus = createEmbeddedBus({ logger });
  cleanups.push(() => bus.close());
  await ensureTopics(bus, loadTopics());
  const pipeline = await startPipeline(
    { bus, logger },
    { store: store.config, processors: processorsConfigSchema.parse({}), venues: ['BINANCE'] },
  );
  cleanups.push(() => pipeline.stop());
  const venue = createBinanceVenue(
    { bus, logger },
    {
      market: 'spot',
      symbols: ['BTCUSDT'],
      streams: ['trade'],
      wsBaseUrl: sim.wsUrl,
      restBaseUrl: sim.restUrl,
    },
  );
  await venue.start();
  cleanups.push(() => venue.stop());
  await until(
    () => pipeline.progress().sink.trades >= TRADE_COUNT,
    () => `${TRADE_COUNT} stored trades (stored ${pipeline.progress().sink.trades})`,
    { timeoutMs: 120_000, intervalMs: 100 },
  );
  await pipeline.settled();
  expect(pipeline.progress().sink.trades).toBe(TRADE_COUNT);
  const bars = await pipeline.reader.getBars({
    venue: 'BINANCE',
    symbol: 'BTCUSDT',
    period: '1m',
    fromUs: 0,
  });
  return bars;
}

describe('WS recording → simulator → Binance adapter → pipeline → store', () => {
  it('stores 1m bars equal, field by field, to DuckDB SQL over the same trades', async () => {
    const expected = await referenceBars();
    const bars = await replayThroughSimulator({});
    expect(bars.length).toBe(expected.length);
    expect(asRows(bars)).toEqual(expected);
  }, 180_000);

  it('gives identical bars when every message is sent twice and reordered within a window', async () => {
    const expected = await referenceBars();
    const bars = await replayThroughSimulator({ duplicate: true, reorderWindow: 50 });
    expect(asRows(bars)).toEqual(expected);
  }, 180_000);
});
