import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalDecimal } from '../../core/decimal/index.ts';
import { createLogger } from '../../core/logger.ts';
import { BarCodec, EnvelopeCodec, EventType, eventId, seriesKey, TradeCodec } from '../../proto/index.ts';
import { until } from '../../test/support/index.ts';
import { createEmbeddedBus } from '../bus/index.ts';
import type { Bus, BusBatch, BusRecord } from '../bus/types.ts';
import { createStoreReader, createStoreWriter, type TradeRow } from '../store/index.ts';
import { loadBinanceSpotTrades } from '../store/testing/recorded-trades.ts';
import { tempStore } from '../store/testing/temp-store.ts';
import { createStoreSink, SINK_COMMIT_NOW_ROWS, SINK_MAX_ATTEMPTS } from './store-sink.ts';

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

  /** A final 1m bar record of BTCUSDT built from trades, opening at minute `m`, with `volume`. */
  const barRecord = (m: number, volume: string): BusRecord => ({
    topic: 'bars.1m',
    key: seriesKey('BINANCE', 'BTCUSDT'),
    value: EnvelopeCodec.encode({
      eventId: `bar-${m}`,
      eventType: EventType.bar,
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      stream: 'trade',
      payload: BarCodec.encode({
        period: '1m',
        openTimeUs: 1_723_161_240_000_000 + m * 60_000_000,
        closeTimeUs: 1_723_161_240_000_000 + (m + 1) * 60_000_000,
        open: '61837.63',
        high: '61837.63',
        low: '61837.63',
        close: '61837.63',
        volume,
        tradeCount: 1,
        final: true,
      }),
    }),
  });

  it('dead-letters a bar the store cannot hold (a 400-digit volume) alone, and stores the bars around it', async () => {
    const { bus, reader, sink } = await startSink();
    const huge = `1${'0'.repeat(399)}`;
    await bus.produce([barRecord(0, '0.5'), barRecord(1, huge), barRecord(2, '1.25')]);
    await until(() => sink.stats().bars + sink.stats().dead === 3, 'the sink');
    expect(sink.stats()).toMatchObject({ bars: 2, dead: 1, lost: 0 });
    const bars = await reader.getBars({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '1m', fromUs: 0 });
    expect(bars.map((b) => b.volume)).toEqual(['0.5', '1.25']);
    const dlq = await bus.readCompacted('dlq.bars.1m');
    expect(dlq.size).toBe(1);
  });

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

  it('never redelivers a batch forever: a retriable failure is handed back at most SINK_MAX_ATTEMPTS times, then dead-lettered', async () => {
    const store = tempStore();
    cleanups.push(store.cleanup);
    const real = await createStoreWriter({ logger }, store.config);
    const reader = await createStoreReader({}, store.config);
    cleanups.push(async () => {
      await real.close().catch(() => undefined);
      reader.close();
    });
    let flushes = 0;
    // A disk that keeps failing: every flush throws an I/O error (retriable, not ours to judge).
    const writer = {
      ...real,
      pushTradeBytes: real.pushTradeBytes,
      appendBars: real.appendBars,
      flush: async () => {
        flushes++;
        throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
      },
    } as typeof real;
    let handler: ((batch: BusBatch) => Promise<void>) | undefined;
    const dead: string[] = [];
    const bus: Bus = {
      ...createEmbeddedBus({ logger }),
      subscribe: async (o) => {
        handler = o.handler;
        return { groupId: o.groupId, stop: async () => undefined };
      },
      deadLetter: async (_message, reason) => {
        dead.push(reason.code);
      },
    };
    const sink = await createStoreSink({ bus, logger, writer, reader }, { commitIntervalMs: 0 });
    const b = barBatch([barRecord(0, '0.5'), barRecord(1, '0.25')]);
    for (let i = 1; i < SINK_MAX_ATTEMPTS; i++) await expect(handler!(b)).rejects.toThrow('EIO');
    await handler!(b); // the last attempt gives up: no throw, so the bus moves on
    expect(flushes).toBe(SINK_MAX_ATTEMPTS);
    expect(dead).toEqual(['store_failed', 'store_failed']);
    expect(sink.stats()).toMatchObject({ retried: SINK_MAX_ATTEMPTS - 1, dead: 2, lost: 0 });
  });

  it('counts a record lost when it can neither be stored nor dead-lettered, and goes on', async () => {
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
      deadLetter: async () => {
        throw new Error('dlq unavailable');
      },
    };
    const sink = await createStoreSink({ bus, logger, writer, reader }, { commitIntervalMs: 0 });
    await handler!(barBatch([barRecord(0, '0.5'), barRecord(1, `1${'0'.repeat(399)}`)]));
    expect(sink.stats()).toMatchObject({ bars: 1, dead: 0, lost: 1 });
  });

  const barBatch = (records: readonly BusRecord[]): BusBatch => ({
    topic: 'bars.1m',
    partition: 0,
    messages: records.map((r, i) => ({ ...r, partition: 0, offset: String(i), timestamp: 0 })),
  });

  it('commits batches handled together once, at most once per commit interval', async () => {
    // Two partitions' batches at once. The interval is a timer of the sink: the clock is faked
    // (only timeouts and Date; the store's I/O runs for real) and moved by the test.
    const { handler, reader } = await sinkHandler(1000);
    const trades = loadBinanceSpotTrades().slice(0, 300);
    const other = trades.slice(200).map((t) => ({ ...t, symbol: 'BTCUSDC' }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      await handler(batch(trades.slice(0, 100), 0));
      expect(reader.version()).toBe(1);
      // Two batches soon after: each waits out the interval, and one commit holds both.
      const first = handler(batch(trades.slice(100, 200), 0));
      await until(() => vi.getTimerCount() === 1, 'the second batch to wait for the commit interval');
      const second = handler(batch(other, 1));
      await until(() => vi.getTimerCount() === 2, 'the third batch to wait for the commit interval');
      await vi.advanceTimersByTimeAsync(999);
      expect(vi.getTimerCount()).toBe(2);
      expect(reader.version()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      await Promise.all([first, second]);
      expect(reader.version()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
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
