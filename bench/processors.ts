/**
 * Throughput of the trade path core (dedup → sequencer → 1m bars → derived bars) on the
 * real BTCUSDT trades, the file repeated with shifted ids and times so every copy is new.
 * Run: node --import tsx bench/processors.ts [repeats=20]
 */
import { createDeduplicator } from '../pipeline/processors/dedup/index.ts';
import { createSequencer } from '../pipeline/processors/sequencer/index.ts';
import { loadBtcusdtTrades } from '../pipeline/processors/testing/recorded-trades.ts';
import { createTradeFlow, type FlowTrade } from '../pipeline/processors/trade-flow/index.ts';

const repeats = Number(process.argv[2] ?? 20);
const base = loadBtcusdtTrades();
const spanUs = Math.ceil((base.at(-1)!.timeUs - base[0]!.timeUs + 1) / 60_000_000) * 60_000_000;
const input: FlowTrade[] = [];
for (let k = 0; k < repeats; k++) {
  for (const t of base) {
    input.push({
      tradeId: String(t.id + k * base.length),
      price: t.price,
      quantity: t.quantity,
      timeUs: t.timeUs + k * spanUs,
      aggressor: t.aggressor,
      tradeCount: 1,
    });
  }
}

function timeIt(name: string, fn: () => void): void {
  fn(); // warm-up
  const rounds = 3;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  console.log(
    `${name.padEnd(44)} ${(input.length / best / 1e3).toFixed(0).padStart(6)} k trades/s  (${input.length} trades, best of ${rounds})`,
  );
}

const S = 'BINANCE:BTCUSDT';
timeIt('dedup only', () => {
  const d = createDeduplicator();
  for (const t of input) d.check(S, t.tradeId);
});
timeIt('dedup + sequencer', () => {
  const d = createDeduplicator();
  let n = 0;
  const s = createSequencer<FlowTrade>(() => {
    n++;
  });
  for (const t of input) if (d.check(S, t.tradeId) === 'new') s.push(S, Number(t.tradeId), t.timeUs, t);
  s.flush();
  if (n !== input.length) throw new Error('lost trades');
});
for (const periods of [[], undefined] as const) {
  const label = periods === undefined ? 'dedup + sequencer + 1m + 12 derived' : 'dedup + sequencer + 1m bars';
  timeIt(`${label} (drain / 500)`, () => {
    const flow = createTradeFlow({ bars: periods === undefined ? {} : { periods } });
    for (let i = 0; i < input.length; i++) {
      flow.push(S, input[i]!);
      if (i % 500 === 499) flow.drain();
    }
    flow.flush();
    flow.drain();
  });
}

// End to end through the embedded bus: norm.trade → trade processor → bars.1m.
{
  const { createEmbeddedBus } = await import('../pipeline/bus/embedded/index.ts');
  const { createLogger } = await import('../core/logger.ts');
  const { EnvelopeCodec, TradeCodec } = await import('../proto/index.ts');
  const { createTradeProcessor, processorsConfigSchema, PROCESSOR_TOPICS } = await import(
    '../pipeline/processors/index.ts'
  );
  const logger = createLogger({ name: 'bench', level: 'error' });
  const n = Math.min(input.length, 200_000);
  const records = input.slice(0, n).map((t) => ({
    topic: PROCESSOR_TOPICS.trades,
    key: S,
    value: EnvelopeCodec.encode({
      eventId: `${S}:trade:${t.tradeId}`,
      eventType: 'trade',
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      observedAtUs: t.timeUs,
      payload: TradeCodec.encode({ ...t }),
    }),
  }));
  // A trade 10 minutes after the last moves the watermark past every minute of the input.
  const lastTrade = input[n - 1]!;
  records.push({
    topic: PROCESSOR_TOPICS.trades,
    key: S,
    value: EnvelopeCodec.encode({
      eventId: `${S}:trade:sentinel`,
      eventType: 'trade',
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      observedAtUs: lastTrade.timeUs + 600_000_000,
      payload: TradeCodec.encode({
        ...lastTrade,
        tradeId: String(Number(lastTrade.tradeId) + 1),
        timeUs: lastTrade.timeUs + 600_000_000,
      }),
    }),
  });
  const minutes = new Set(input.slice(0, n).map((t) => Math.floor(t.timeUs / 60_000_000))).size;
  const bus = createEmbeddedBus({ logger });
  await bus.produce(records);
  const config = processorsConfigSchema.parse({});
  let finals = 0;
  const { BarCodec } = await import('../proto/index.ts');
  const probe = await bus.subscribe({
    groupId: 'bench-bars',
    topics: [PROCESSOR_TOPICS.bars1m],
    fromBeginning: true,
    handler: async (b) => {
      for (const m of b.messages) if (BarCodec.decode(EnvelopeCodec.decode(m.value).payload).final) finals++;
    },
  });
  const t0 = process.hrtime.bigint();
  const processor = createTradeProcessor({ bus, logger }, config);
  await processor.start();
  while (finals < minutes) await new Promise((r) => setTimeout(r, 2));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    `${'embedded bus e2e (trade processor)'.padEnd(44)} ${(n / secs / 1e3).toFixed(0).padStart(6)} k trades/s  (${n} trades, ${secs.toFixed(2)} s, until the last final 1m bar is out)`,
  );
  await processor.stop();
  await probe.stop();
  await bus.close();
}
