import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Subscriber } from 'zeromq';
import { createLogger } from '../../core/logger.ts';
import {
  BarCodec,
  EnvelopeCodec,
  EventType,
  eventId,
  Side,
  seriesKey,
  TradeCodec,
} from '../../proto/index.ts';
import { recordedData } from '../../test/support/index.ts';
import { createEmbeddedBus } from '../bus/index.ts';
import type { Bus } from '../bus/types.ts';
import { createRealtimeBridge } from './bridge.ts';
import { QuoteBook } from './quotes/quote-book.ts';
import { createZmqPublisher, type ZmqPublisher } from './zmq-publisher.ts';

const TRADES = recordedData('trades', 'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz');

/** The first `n` real BTCUSDT trades as sequenced trade envelopes. */
function tradeEnvelopes(n: number): Uint8Array[] {
  const rows = gunzipSync(readFileSync(TRADES)).toString('utf8').split('\n').slice(0, n);
  return rows.map((row, i) => {
    const [id = '', price = '', qty = '', , time = '0', buyerMaker] = row.split(',');
    const timeUs = Number(time) * 1000;
    return EnvelopeCodec.encode({
      eventId: eventId('BINANCE', 'BTCUSDT', EventType.trade, id),
      eventType: EventType.trade,
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      observedAtUs: timeUs,
      ingestedAtUs: timeUs,
      schemaVersion: 1,
      seq: i + 1,
      payload: TradeCodec.encode({
        tradeId: id,
        price,
        quantity: qty,
        timeUs,
        aggressor: buyerMaker === 'True' ? Side.SIDE_SELL : Side.SIDE_BUY,
        tradeCount: 1,
      }),
    });
  });
}

const logger = createLogger({ name: 'test', level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ bus: Bus; publisher: ZmqPublisher; quotes: QuoteBook; sub: Subscriber }> {
  const bus = createEmbeddedBus({ logger });
  const publisher = await createZmqPublisher(
    { logger },
    { pubEndpoint: 'tcp://127.0.0.1:*', sendHighWaterMark: 100_000, queueLimit: 100_000 },
  );
  const quotes = new QuoteBook();
  const bridge = await createRealtimeBridge({
    bus,
    logger,
    publisher,
    quotes,
    resolveAssets: (_venue, symbol) => (symbol === 'BTCUSDT' ? { base: 'BTC', quote: 'USDT' } : undefined),
  });
  const sub = new Subscriber({ receiveTimeout: 5000 });
  sub.connect(publisher.endpoint);
  cleanups.push(async () => {
    sub.close();
    await bridge.stop();
    await publisher.close();
    await bus.close();
  });
  return { bus, publisher, quotes, sub };
}

/** ZeroMQ subscriptions take effect asynchronously ("slow joiner"): wait until a probe arrives. */
/** Subscriptions apply in order, so once the probe arrives, `prefix` is live too. */
async function joined(publisher: ZmqPublisher, sub: Subscriber, prefix: string): Promise<void> {
  sub.subscribe(prefix);
  sub.subscribe('probe');
  sub.receiveTimeout = 50;
  for (;;) {
    publisher.publish('probe', new Uint8Array([1]));
    try {
      await sub.receive();
      break;
    } catch {
      // receive timed out: the subscription has not reached the publisher yet
    }
  }
  sub.unsubscribe('probe');
  sub.receiveTimeout = 5000;
}

describe('realtime bridge', () => {
  it('relays sequenced trades to ZeroMQ under trade.<VENUE>.<SYMBOL> with the envelope bytes unchanged', async () => {
    const { bus, publisher, quotes, sub } = await setup();
    await joined(publisher, sub, 'trade.BINANCE.');
    const envelopes = tradeEnvelopes(500);
    await bus.produce(
      envelopes.map((value) => ({
        topic: 'norm.trade.sequenced',
        key: seriesKey('BINANCE', 'BTCUSDT'),
        value,
      })),
    );
    for (let i = 0; i < envelopes.length; i++) {
      const [topic, payload] = await sub.receive();
      expect(topic?.toString()).toBe('trade.BINANCE.BTCUSDT');
      expect(Buffer.from(payload ?? []).equals(Buffer.from(envelopes[i] ?? []))).toBe(true);
    }
    const last = TradeCodec.decode(EnvelopeCodec.decode(envelopes.at(-1) as Uint8Array).payload);
    expect(quotes.quote('BTC', 'USDT')).toMatchObject({
      price: last.price.replace(/\.?0+$/, ''),
      asOfUs: last.timeUs,
    });
    expect(publisher.stats().dropped).toBe(0);
  });

  it('filters by prefix: a bar.1m. subscriber gets bars, not trades', async () => {
    const { bus, publisher, sub } = await setup();
    await joined(publisher, sub, 'bar.1m.');
    const bar = EnvelopeCodec.encode({
      eventId: 'BINANCE:BTCUSDT:bar:1m:1723161240000000',
      eventType: EventType.bar,
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      payload: BarCodec.encode({
        period: '1m',
        openTimeUs: 1_723_161_240_000_000,
        open: '61837.63',
        close: '61840',
      }),
    });
    const key = seriesKey('BINANCE', 'BTCUSDT');
    await bus.produce([
      ...tradeEnvelopes(3).map((value) => ({ topic: 'norm.trade.sequenced', key, value })),
      { topic: 'bars.1m', key, value: bar },
    ]);
    const [topic, payload] = await sub.receive();
    expect(topic?.toString()).toBe('bar.1m.BINANCE.BTCUSDT');
    expect(BarCodec.decode(EnvelopeCodec.decode(new Uint8Array(payload ?? [])).payload).open).toBe(
      '61837.63',
    );
  });
});
