import { afterEach, describe, expect, it } from 'vitest';
import { canonicalDecimal } from '../../core/decimal/index.ts';
import { createLogger } from '../../core/logger.ts';
import { BarCodec, EnvelopeCodec, EventType, eventId, seriesKey, TradeCodec } from '../../proto/index.ts';
import { createEmbeddedBus } from '../bus/index.ts';
import type { Bus, BusBatch, BusRecord } from '../bus/types.ts';
import { createStoreReader, createStoreWriter, type TradeRow } from '../store/index.ts';
import { loadBinanceSpotTrades } from '../store/testing/recorded-trades.ts';
import { tempStore } from '../store/testing/temp-store.ts';
import { createStoreSink, SINK_COMMIT_NOW_ROWS } from './store-sink.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function toRecord(t: TradeRow): BusRecord {
  return {
    topic: 'norm.trade.sequenced',
    key: seriesKey(t.venue, t.symbol),
    value: EnvelopeCodec.encode({
      eventId: eventId(t.venue, t.symbol, EventType.trade, t.tradeId),
      eventType: EventType.trade,
      venue: t.venue,
      symbol: t.symbol,
      observedAtUs: t.timeUs,
      seq: t.seq,
      payload: TradeCodec.encode({ ...t, tradeCount: 1 }),
    }),
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A sink over a fresh store (holding `stored` trades first) on an embedded bus; closed after the test. */
async function startSink(stored: readonly TradeRow[] = []) {
  const store = tempStore();
  cleanups.push(store.cleanup);
  const writer = await createStoreWriter({ logger }, store.config);
  if (stored.length > 0) {
    await writer.appendTrades(stored);
    await writer.flush();
  }
  const reader = await createStoreReader({}, store.config);
  const bus = createEmbeddedBus({ logger });
  cleanups.push(async () => {
    await bus.close();
    await writer.close();
    reader.close();
  });
  const sink = await createStoreSink({ bus, logger, writer, reader });
  return { bus, reader, sink };
}

describe('store sink', () => {
  it('stores every sequenced trade once, even when a crashed batch is redelivered', async () => {
    const trades = loadBinanceSpotTrades();
    const { bus, reader, sink } = await startSink();
    // The first 12,000 trades, then a redelivery of 2,000 of them (as after a crash between the
    // store commit and the offset commit), then the rest.
    await bus.produce(trades.slice(0, 12_000).map(toRecord));
    await bus.produce(trades.slice(10_000, 12_000).map(toRecord));
    await bus.produce(trades.slice(12_000).map(toRecord));
    await until(
      () => sink.stats().trades + sink.stats().replayedTrades === trades.length + 2_000,
      'the sink',
    );
    expect(sink.stats()).toMatchObject({ trades: trades.length, replayedTrades: 2_000, dead: 0 });

    const stored = await reader.getTrades({
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      fromSeq: 1,
      toSeq: trades.length,
      limit: 100_000,
    });
    expect(stored.length).toBe(trades.length);
    expect(stored.map((t) => t.seq)).toEqual(trades.map((t) => t.seq));
    expect(stored[123]).toMatchObject({ tradeId: trades[123]?.tradeId, timeUs: trades[123]?.timeUs });
  });

  it('recognises trades already stored by an earlier sink process after a restart', async () => {
    const trades = loadBinanceSpotTrades().slice(0, 3_000);
    const { bus, sink } = await startSink(trades.slice(0, 2_000));
    await bus.produce(trades.map(toRecord));
    await until(() => sink.stats().trades + sink.stats().replayedTrades === 3_000, 'the sink');
    expect(sink.stats()).toMatchObject({ trades: 1_000, replayedTrades: 2_000 });
  });

  it('dead-letters an undecodable envelope and keeps going', async () => {
    const trades = loadBinanceSpotTrades().slice(0, 10);
    const { bus, sink } = await startSink();
    const key = seriesKey('BINANCE', 'BTCUSDT');
    await bus.produce([
      ...trades.slice(0, 5).map(toRecord),
      { topic: 'norm.trade.sequenced', key, value: new Uint8Array([0xff, 0xff, 0xff]) },
      ...trades.slice(5).map(toRecord),
    ]);
    await until(() => sink.stats().trades === 10, 'the sink');
    expect(sink.stats().dead).toBe(1);
    const dlq = await bus.readCompacted('dlq.norm.trade.sequenced');
    expect([...dlq.values()]).toEqual([new Uint8Array([0xff, 0xff, 0xff])]);
  });

  /** A sink on a fresh store whose batch handler the test calls itself, as the bus would. */
  async function sinkHandler(commitIntervalMs: number) {
    const store = tempStore();
    cleanups.push(store.cleanup);
    const writer = await createStoreWriter({ logger }, store.config);
    const reader = await createStoreReader({}, store.config);
    cleanups.push(async () => {
      await writer.close();
      reader.close();
    });
    let handler: ((batch: BusBatch) => Promise<void>) | undefined;
    const bus: Bus = {
      ...createEmbeddedBus({ logger }),
      subscribe: async (o) => {
        handler = o.handler;
        return { groupId: o.groupId, stop: async () => undefined };
      },
    };
    await createStoreSink({ bus, logger, writer, reader }, { commitIntervalMs });
    return { handler: handler!, reader };
  }

  const batch = (rows: readonly TradeRow[], partition = 0): BusBatch => ({
    topic: 'norm.trade.sequenced',
    partition,
    messages: rows.map((t, i) => ({ ...toRecord(t), partition, offset: String(i), timestamp: 0 })),
  });

  it('commits batches handled together once, at most once per commit interval', async () => {
    // Two partitions' batches at once.
    const { handler, reader } = await sinkHandler(1000);
    const trades = loadBinanceSpotTrades().slice(0, 300);
    await handler(batch(trades.slice(0, 100), 0));
    expect(reader.version()).toBe(1);
    // Two batches soon after, the second while the first waits out the interval: one commit
    // holds both (without the interval the first would have committed alone by then).
    const other = trades.slice(200).map((t) => ({ ...t, symbol: 'BTCUSDC' }));
    const first = handler(batch(trades.slice(100, 200), 0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([first, handler(batch(other, 1))]);
    expect(reader.version()).toBe(2);
    const stored = await reader.getTrades({ venue: 'BINANCE', symbol: 'BTCUSDT', fromSeq: 1 });
    expect(stored.map((t) => t.seq)).toEqual(trades.slice(0, 200).map((t) => t.seq));
    expect(await reader.getTrades({ venue: 'BINANCE', symbol: 'BTCUSDC', fromSeq: 1 })).toHaveLength(100);
  });

  it('commits a big batch at once: a busy stream is not held to a batch per interval', async () => {
    // An hour between commits of small batches: a big batch that waited would time the test out.
    const { handler, reader } = await sinkHandler(3_600_000);
    const trades = loadBinanceSpotTrades().slice(0, 1 + 2 * SINK_COMMIT_NOW_ROWS);
    await handler(batch(trades.slice(0, 1)));
    await handler(batch(trades.slice(1, 1 + SINK_COMMIT_NOW_ROWS)));
    await handler(batch(trades.slice(1 + SINK_COMMIT_NOW_ROWS)));
    expect(reader.version()).toBe(3);
    const stored = await reader.getTrades({ venue: 'BINANCE', symbol: 'BTCUSDT', fromSeq: 1, limit: 10_000 });
    expect(stored).toHaveLength(trades.length);
  });

  it('dead-letters a trade the store cannot hold (bad decimal) alone, and stores the rest exactly', async () => {
    const trades = loadBinanceSpotTrades().slice(0, 10);
    const { bus, reader, sink } = await startSink();
    const bad = toRecord({ ...trades[4]!, price: '6.1e4' });
    await bus.produce([...trades.slice(0, 4).map(toRecord), bad, ...trades.slice(5).map(toRecord)]);
    await until(() => sink.stats().trades === 9, 'the sink');
    expect(sink.stats().dead).toBe(1);
    const dlq = await bus.readCompacted('dlq.norm.trade.sequenced');
    expect([...dlq.values()]).toEqual([bad.value]);
    const stored = await reader.getTrades({ venue: 'BINANCE', symbol: 'BTCUSDT', fromSeq: 1, toSeq: 100 });
    const expected = trades.filter((_, i) => i !== 4);
    expect(stored.map((t) => [t.seq, t.tradeId, t.price, t.quantity, t.aggressor])).toEqual(
      expected.map((t) => [
        t.seq,
        t.tradeId,
        canonicalDecimal(t.price),
        canonicalDecimal(t.quantity),
        t.aggressor,
      ]),
    );
  });

  it('keeps one trade source per symbol: aggTrades and their bars for a symbol stored from plain trades are dead-lettered', async () => {
    const trades = loadBinanceSpotTrades().slice(0, 20);
    const { bus, reader, sink } = await startSink(trades.slice(0, 10));
    const t = trades[10]!;
    const key = seriesKey(t.venue, t.symbol);
    const agg: BusRecord = {
      topic: 'norm.trade.sequenced',
      key,
      value: EnvelopeCodec.encode({
        eventId: eventId(t.venue, t.symbol, EventType.aggTrade, '900001'),
        eventType: EventType.aggTrade,
        venue: t.venue,
        symbol: t.symbol,
        seq: 11,
        payload: TradeCodec.encode({
          ...t,
          tradeId: '900001',
          firstTradeId: t.tradeId,
          lastTradeId: t.tradeId,
          tradeCount: 1,
        }),
      }),
    };
    const aggBar: BusRecord = {
      topic: 'bars.1m',
      key,
      value: EnvelopeCodec.encode({
        eventId: 'bar-from-agg',
        eventType: EventType.bar,
        venue: t.venue,
        symbol: t.symbol,
        stream: 'aggTrade',
        payload: BarCodec.encode({
          period: '1m',
          openTimeUs: 0,
          closeTimeUs: 60_000_000,
          open: '1',
          high: '1',
          low: '1',
          close: '1',
          volume: '1',
          final: true,
        }),
      }),
    };
    await bus.produce([agg, aggBar, ...trades.slice(10).map(toRecord)]);
    await until(() => sink.stats().trades === 10, 'the sink');
    expect(sink.stats()).toMatchObject({ mixedSource: 2, bars: 0 });
    const stored = await reader.getTrades({ venue: t.venue, symbol: t.symbol, fromSeq: 1, toSeq: 100 });
    expect(stored.map((x) => x.tradeId)).toEqual(trades.map((x) => x.tradeId));
    const dlq = await bus.readCompacted('dlq.norm.trade.sequenced');
    expect(dlq.size).toBe(1);
  });

  it('a fresh symbol takes the source of its first event', async () => {
    const trades = loadBinanceSpotTrades().slice(0, 5);
    const { bus, sink } = await startSink();
    const asAgg = (r: BusRecord): BusRecord => {
      const env = EnvelopeCodec.decode(r.value);
      const trade = TradeCodec.decode(env.payload);
      return {
        ...r,
        value: EnvelopeCodec.encode({
          ...env,
          eventType: EventType.aggTrade,
          payload: TradeCodec.encode({ ...trade, firstTradeId: trade.tradeId, lastTradeId: trade.tradeId }),
        }),
      };
    };
    await bus.produce(trades.map(toRecord).map(asAgg));
    await until(() => sink.stats().trades === 5, 'the sink');
    // Plain trades for the same symbol now are the other source.
    await bus.produce(trades.map(toRecord));
    await until(() => sink.stats().mixedSource === 5, 'the plain trades to be refused');
    expect(sink.stats().trades).toBe(5);
  });
});
