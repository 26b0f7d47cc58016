/**
 * The trade processor on the embedded bus with real BTCUSDT trades: duplicated and reordered input
 * through norm.trade gives final bars.1m equal to bars built straight from the trades,
 * and a stop/start in the middle (state restored from the changelogs) changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { BarCodec, EnvelopeCodec, TradeCodec } from '../../../proto/index.ts';
import { createEmbeddedBus } from '../../bus/embedded/index.ts';
import type { Bus, BusRecord } from '../../bus/types.ts';
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
      },
    }),
  ];
  const deadline = Date.now() + 20_000;
  while (finals.size < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const s of subs) await s.stop();
  return {
    finals: [...finals.values()].sort((a, b) => Number(a.openTimeUs) - Number(b.openTimeUs)),
    sequenced,
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

  it('a stop and restart mid-stream restores state from the changelogs and changes nothing', async () => {
    const bus = createEmbeddedBus({ logger });
    const all = [...messy(trades), envelopeOf(sentinel)];
    const half = 17_001;
    await bus.produce(all.slice(0, half));
    let processor = createTradeProcessor({ bus, logger }, config);
    await processor.start();
    await new Promise((r) => setTimeout(r, 300));
    await processor.stop();
    await bus.produce(all.slice(half));
    processor = createTradeProcessor({ bus, logger }, config);
    await processor.start();
    const { finals, sequenced } = await collectFinals(bus, 12);
    await processor.stop();
    expect(finals.map(toJson)).toEqual(want);
    expect(sequenced).toBe(trades.length + 1);
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
    const deadline = Date.now() + 10_000;
    while (dlq.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
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
