/**
 * The trade processor on the embedded bus with real BTCUSDT trades: duplicated and reordered input
 * through norm.trade gives final bars.1m equal to bars built straight from the trades,
 * and a stop/start in the middle (state restored from the changelogs) changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { BarCodec, EnvelopeCodec, TradeCodec } from '../../../proto/index.ts';
import { until } from '../../../test/support/index.ts';
import { createEmbeddedBus } from '../../bus/embedded/index.ts';
import type { Bus, BusBatch, BusRecord } from '../../bus/types.ts';
import { buildBars, toBarMessage, toBarTrade } from '../bars/index.ts';
import { processorsConfigSchema } from '../config.ts';
import { loadBtcusdtTrades, type RecordedTrade } from '../testing/recorded-trades.ts';
import { createTradeProcessor, PROCESSOR_TOPICS } from './index.ts';

const logger = createLogger({ name: 'processors-test', level: 'error' });
const config = processorsConfigSchema.parse({ bars: { allowedLatenessMs: 1000, graceMs: 5000 } });

function envelopeOf(t: RecordedTrade): BusRecord {
  const payload = TradeCodec.encode({
    tradeId: String(t.id),
    price: t.price,
    quantity: t.quantity,
    aggressor: t.aggressor,
    timeUs: t.timeUs,
    tradeCount: 1,
  });
  const value = EnvelopeCodec.encode({
    eventId: `BINANCE:BTCUSDT:trade:${t.id}`,
    eventType: 'trade',
    venue: 'BINANCE',
    symbol: 'BTCUSDT',
    observedAtUs: t.timeUs,
    payload,
    stream: 'trade',
  });
  return { topic: PROCESSOR_TOPICS.trades, key: 'BINANCE:BTCUSDT', value };
}

/** Every trade twice; pairs of neighbours swapped (reordered within a few trades). */
function messy(trades: RecordedTrade[]): BusRecord[] {
  const out: BusRecord[] = [];
  for (let i = 0; i < trades.length; i += 2) {
    const a = trades[i]!;
    const b = trades[i + 1];
    if (b) out.push(envelopeOf(b));
    out.push(envelopeOf(a), envelopeOf(a));
    if (b) out.push(envelopeOf(b));
  }
  return out;
}

async function collectFinals(bus: Bus, want: number) {
  const finals = new Map<number, ReturnType<typeof BarCodec.decode>>();
  let sequenced = 0;
  const seqs = new Set<number>();
  const subs = [
    await bus.subscribe({
      groupId: 'test-bars',
      topics: [PROCESSOR_TOPICS.bars1m],
      fromBeginning: true,
      handler: async (batch) => {
        for (const m of batch.messages) {
          const bar = BarCodec.decode(EnvelopeCodec.decode(m.value).payload);
          if (bar.final) finals.set(Number(bar.openTimeUs), bar);
        }
      },
    }),
    await bus.subscribe({
      groupId: 'test-seq',
      topics: [PROCESSOR_TOPICS.sequenced],
      fromBeginning: true,
      handler: async (batch) => {
        sequenced += batch.messages.length;
        for (const m of batch.messages) seqs.add(Number(EnvelopeCodec.decode(m.value).seq));
      },
    }),
  ];
  await until(
    () => finals.size >= want,
    () => `${want} final 1m bars (have ${finals.size})`,
  );
  for (const s of subs) await s.stop();
  return {
    finals: [...finals.values()].sort((a, b) => Number(a.openTimeUs) - Number(b.openTimeUs)),
    sequenced,
    /** Distinct seqs on norm.trade.sequenced: equal to `sequenced` when nothing was written twice. */
    distinctSeqs: seqs.size,
  };
}

/**
 * `bus` whose transform handlers report each batch to `onBatch` before handling it: the test
 * sees which input offsets the processor was handed, and can stop it at a known batch.
 */
function observedBus(bus: Bus, onBatch: (batch: BusBatch) => void): Bus {
  return {
    ...bus,
    transform: (options) =>
      bus.transform({
        ...options,
        handler: (batch) => {
          onBatch(batch);
          return options.handler(batch);
        },
      }),
  };
}

describe('trade processor on the embedded bus', () => {
  const trades = loadBtcusdtTrades();
  const last = trades.at(-1)!;
  // A trade 10 minutes later moves the event-time watermark past every recorded minute.
  const sentinel: RecordedTrade = { ...last, id: last.id + 1, timeUs: last.timeUs + 600_000_000 };
  const expected = buildBars(
    trades.map((t, i) => toBarTrade(i + 1, t.timeUs, t.price, t.quantity, t.aggressor)),
    '1m',
  ).map((b) => toBarMessage(b));
  const toJson = (b: ReturnType<typeof BarCodec.decode>) => ({
    openTimeUs: Number(b.openTimeUs),
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
    takerBuyVolume: b.takerBuyVolume,
    makerVolume: b.makerVolume,
    tradeCount: Number(b.tradeCount),
    quoteVolume: b.quoteVolume,
    takerBuyQuoteVolume: b.takerBuyQuoteVolume,
    firstSeq: Number(b.firstSeq),
    lastSeq: Number(b.lastSeq),
    final: b.final,
  });
  const want = expected.map((b) => toJson(BarCodec.decode(BarCodec.encode({ ...b, final: true }))));

  it('duplicated, reordered input gives the bars built straight from the trades', async () => {
    const bus = createEmbeddedBus({ logger });
    await bus.produce([...messy(trades), envelopeOf(sentinel)]);
    const processor = createTradeProcessor({ bus, logger }, config);
    await processor.start();
    const { finals, sequenced } = await collectFinals(bus, 12);
    await processor.stop();
    expect(finals.map(toJson)).toEqual(want);
    expect(sequenced).toBe(trades.length + 1);
    await bus.close();
  });

  it('a stop and restart mid-stream resumes at the committed offset and changes nothing', async () => {
    // Batches of 997 records, so the stop falls inside a duplicated, swapped pair of trades.
    const bus = createEmbeddedBus({ logger }, { maxBatchMessages: 997 });
    const all = [...messy(trades), envelopeOf(sentinel)];
    await bus.produce(all);

    // First run: stop from inside the batch that takes the processor past `stopAfter` records.
    // A stop finishes and commits the in-flight batch and takes no other, so the first run
    // commits exactly the offsets it was handed: [0, stoppedAt).
    const stopAfter = 17_001;
    const firstRun: number[] = [];
    let stopped: Promise<void> | undefined;
    const first = createTradeProcessor(
      {
        bus: observedBus(bus, (batch) => {
          for (const m of batch.messages) firstRun.push(Number(m.offset));
          if (firstRun.length >= stopAfter) stopped ??= first.stop();
        }),
        logger,
      },
      config,
    );
    await first.start();
    await until(() => stopped !== undefined, `the processor to be handed ${stopAfter} records`);
    await stopped;
    const stoppedAt = firstRun.length;
    expect(stoppedAt).toBeLessThan(all.length); // stopped mid-stream, with records left in the log
    expect(firstRun).toEqual(Array.from({ length: stoppedAt }, (_, i) => i));

    // Second run: state from the changelogs, input from the committed offset.
    const secondRun: number[] = [];
    const second = createTradeProcessor(
      {
        bus: observedBus(bus, (batch) => secondRun.push(...batch.messages.map((m) => Number(m.offset)))),
        logger,
      },
      config,
    );
    await second.start();
    const { finals, sequenced, distinctSeqs } = await collectFinals(bus, 12);
    await second.stop();
    // Resumed exactly where the first run stopped: nothing handed twice, nothing skipped.
    expect(secondRun).toEqual(Array.from({ length: all.length - stoppedAt }, (_, i) => stoppedAt + i));
    expect(finals.map(toJson)).toEqual(want);
    expect(sequenced).toBe(trades.length + 1);
    expect(distinctSeqs).toBe(trades.length + 1);
    const state = await bus.readCompacted(PROCESSOR_TOPICS.stateBars);
    expect([...state.keys()]).toEqual(['BINANCE:BTCUSDT']);
    await bus.close();
  });
});

describe('withSeq', () => {
  it('appending seq to envelope bytes decodes as the same envelope with that seq', async () => {
    const { withSeq } = await import('./series.ts');
    const t = loadBtcusdtTrades()[0]!;
    const value = envelopeOf(t).value;
    for (const seq of [1, 127, 128, 300, 2 ** 40 + 5]) {
      const env = EnvelopeCodec.decode(withSeq(value, seq));
      expect(Number(env.seq)).toBe(seq);
      expect(env.eventId).toBe(`BINANCE:BTCUSDT:trade:${t.id}`);
      expect(TradeCodec.decode(env.payload).price).toBe(t.price);
    }
  });
});

describe('bad input', () => {
  it('dead-letters unreadable records and bad decimals, and keeps going', async () => {
    const bus = createEmbeddedBus({ logger });
    const trades = loadBtcusdtTrades().slice(0, 50);
    const bad = envelopeOf({ ...trades[10]!, id: trades[49]!.id + 1, price: '6.1e4' });
    await bus.produce([
      { topic: PROCESSOR_TOPICS.trades, key: 'BINANCE:BTCUSDT', value: new Uint8Array([0xff, 0xff, 0xff]) },
      ...trades.map(envelopeOf),
      bad,
    ]);
    const processor = createTradeProcessor({ bus, logger }, config);
    await processor.start();
    const dlq: string[] = [];
    const sub = await bus.subscribe({
      groupId: 'test-dlq',
      topics: ['dlq.norm.trade'],
      fromBeginning: true,
      handler: async (batch) => {
        for (const m of batch.messages) dlq.push(`${batch.topic}:${m.headers?.['qf-dlq-reason-code']}`);
      },
    });
    await until(
      () => dlq.length >= 2,
      () => `two dead letters (have ${dlq.join(', ') || 'none'})`,
    );
    await sub.stop();
    await processor.stop();
    expect(dlq.sort()).toEqual(['dlq.norm.trade:bad_decimal', 'dlq.norm.trade:malformed_envelope']);
    // The good trades went on: the series' dedup and sequencer state were written.
    expect([...(await bus.readCompacted(PROCESSOR_TOPICS.stateDedup)).keys()]).toEqual(['BINANCE:BTCUSDT']);
    expect([...(await bus.readCompacted(PROCESSOR_TOPICS.stateSequencer)).keys()]).toEqual([
      'BINANCE:BTCUSDT',
    ]);
    await bus.close();
  });
});
