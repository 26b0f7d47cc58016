import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { until } from '../../test/support/index.ts';
import { createEmbeddedBus, partitionForKey } from '../bus/index.ts';
import { ensureTopics, loadTopics } from '../bus/topics.ts';
import { processorsConfigSchema } from '../processors/index.ts';
import { loadBinanceSpotTrades } from '../store/testing/recorded-trades.ts';
import { tempStore } from '../store/testing/temp-store.ts';
import { restTradesToRecords } from '../venues/binance/index.ts';
import { startClockTicker, tickKeys } from './clock-ticker.ts';
import { startPipeline } from './pipeline.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('clock ticker', () => {
  it('finds one key per partition', () => {
    const keys = tickKeys(6);
    expect(keys.map((k) => partitionForKey(k, 6))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('closes a quiet minute by time: the last bar turns final with no further trade', async () => {
    const store = tempStore();
    cleanups.push(store.cleanup);
    const bus = createEmbeddedBus({ logger });
    cleanups.push(() => bus.close());
    const topics = loadTopics();
    await ensureTopics(bus, topics);
    const pipeline = await startPipeline(
      { bus, logger },
      { store: store.config, processors: processorsConfigSchema.parse({}), venues: ['BINANCE'] },
    );
    cleanups.push(() => pipeline.stop());
    // The first real trades of the recording, all inside the 23:54 minute; then silence.
    const trades = loadBinanceSpotTrades().filter((t) => t.timeUs < Date.UTC(2024, 7, 8, 23, 55) * 1000);
    const { records } = restTradesToRecords(
      { venue: 'BINANCE', symbol: 'BTCUSDT', ingestedAtUs: 0 },
      trades.map((t) => ({
        id: Number(t.tradeId),
        price: t.price,
        qty: t.quantity,
        time: t.timeUs / 1000,
        isBuyerMaker: t.aggressor === 2,
      })),
    );
    await bus.produce(records);
    await pipeline.settled();
    const ref = { venue: 'BINANCE', symbol: 'BTCUSDT', period: '1m', limit: 5 };
    const forming = await pipeline.reader.getBars(ref);
    expect(forming).toHaveLength(1);
    expect(forming[0]?.final).toBe(false);
    expect(forming[0]?.tradeCount).toBe(trades.length);

    const tradeTopic = topics.find((t) => t.name === 'norm.trade');
    // Wall clock at 23:56: past the minute's end plus lateness and grace.
    const ticker = startClockTicker(
      { bus, logger },
      {
        partitions: tradeTopic?.partitions ?? 1,
        intervalMs: 20,
        nowUs: () => Date.UTC(2024, 7, 8, 23, 56) * 1000,
      },
    );
    cleanups.push(() => ticker.stop());
    let bars = forming;
    await until(
      async () => {
        bars = await pipeline.reader.getBars(ref);
        return bars[0]?.final === true;
      },
      'the ticks to close the quiet minute',
      { intervalMs: 50 },
    );
    expect(bars).toHaveLength(1);
    expect(bars[0]).toMatchObject({
      final: true,
      tradeCount: trades.length,
      open: forming[0]?.open,
      close: forming[0]?.close,
    });
    expect(pipeline.progress().sink.dead).toBe(0);
  }, 60_000);
});
