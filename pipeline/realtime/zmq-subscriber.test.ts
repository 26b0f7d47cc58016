import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { BarCodec, BookTopCodec, EnvelopeCodec, EventType, Side, TradeCodec } from '../../proto/index.ts';
import { until } from '../../test/support/index.ts';
import { createZmqPublisher, type ZmqPublisher } from './zmq-publisher.ts';
import { createZmqSubscriber, type LiveEvent, toLiveEvent, type ZmqSubscriber } from './zmq-subscriber.ts';
import { ZMQ_TOPICS } from './zmq-topics.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const trade = (seq: number, price: string, symbol = 'BTCUSDT'): Uint8Array =>
  EnvelopeCodec.encode({
    eventId: `BINANCE:${symbol}:trade:${seq}`,
    eventType: EventType.trade,
    venue: 'BINANCE',
    symbol,
    seq,
    payload: TradeCodec.encode({
      tradeId: String(seq),
      price,
      quantity: '0.00120',
      timeUs: 1_723_161_240_000_000 + seq,
      aggressor: seq % 2 === 0 ? Side.SIDE_SELL : Side.SIDE_BUY,
    }),
  });

async function setup(
  prefixes: string[],
): Promise<{ publisher: ZmqPublisher; subscriber: ZmqSubscriber; events: LiveEvent[] }> {
  const publisher = await createZmqPublisher(
    { logger },
    { pubEndpoint: 'tcp://127.0.0.1:*', sendHighWaterMark: 10_000, queueLimit: 10_000 },
  );
  const events: LiveEvent[] = [];
  const subscriber = createZmqSubscriber(
    { logger, onEvent: (e) => events.push(e) },
    { endpoint: publisher.endpoint, prefixes },
  );
  cleanups.push(async () => {
    await subscriber.close();
    await publisher.close();
  });
  // The subscription reaches the publisher asynchronously ("slow joiner"): publish a probe
  // trade until one arrives, then start from a clean slate.
  await until(() => {
    publisher.publish(ZMQ_TOPICS.trade('BINANCE', 'PROBE'), trade(0, '1', 'PROBE'));
    return events.length > 0;
  }, 'the probe trade');
  await until(() => publisher.stats().queued === 0, 'the probes sent');
  const probes = events.length;
  publisher.publish(ZMQ_TOPICS.trade('BINANCE', 'END'), trade(0, '1', 'END'));
  await until(() => events.some((e) => e.symbol === 'END'), 'the last probe');
  events.splice(0, events.length);
  expect(probes).toBeGreaterThan(0);
  return { publisher, subscriber, events };
}

describe('ZeroMQ live-feed subscriber', () => {
  it('decodes trades, bars and book tops once into typed events, in order', async () => {
    const { publisher, events } = await setup(['trade.', 'bar.1m.', 'book.']);
    publisher.publish(ZMQ_TOPICS.trade('BINANCE', 'BTCUSDT'), trade(41, '61837.63'));
    publisher.publish(ZMQ_TOPICS.trade('BINANCE', 'BTCUSDT'), trade(42, '61837.64'));
    publisher.publish(
      ZMQ_TOPICS.bar('1m', 'BINANCE', 'BTCUSDT'),
      EnvelopeCodec.encode({
        eventType: EventType.bar,
        venue: 'BINANCE',
        symbol: 'BTCUSDT',
        payload: BarCodec.encode({
          period: '1m',
          openTimeUs: 1_723_161_240_000_000,
          open: '61837.63',
          high: '61840',
          low: '61830.1',
          close: '61839.99',
          volume: '3.5',
          revision: 2,
          final: true,
        }),
      }),
    );
    // Not subscribed: a 5m bar is filtered out by ZeroMQ.
    publisher.publish(ZMQ_TOPICS.bar('5m', 'BINANCE', 'BTCUSDT'), trade(99, '1'));
    publisher.publish(
      ZMQ_TOPICS.book('BINANCE', 'ETHUSDT'),
      EnvelopeCodec.encode({
        eventType: EventType.bookTop,
        venue: 'BINANCE',
        symbol: 'ETHUSDT',
        payload: BookTopCodec.encode({ bidPrice: '2600.1', askPrice: '2600.2', timeUs: 7 }),
      }),
    );
    await until(
      () => events.length >= 4,
      () => `4 events, got ${events.length}`,
    );
    expect(events).toEqual([
      {
        kind: 'trade',
        venue: 'BINANCE',
        symbol: 'BTCUSDT',
        timeUs: 1_723_161_240_000_041,
        price: '61837.63',
        qty: '0.00120',
        side: 'buy',
        seq: 41,
      },
      expect.objectContaining({ kind: 'trade', seq: 42, side: 'sell', price: '61837.64' }),
      {
        kind: 'bar',
        venue: 'BINANCE',
        symbol: 'BTCUSDT',
        period: '1m',
        openTimeUs: 1_723_161_240_000_000,
        open: '61837.63',
        high: '61840',
        low: '61830.1',
        close: '61839.99',
        volume: '3.5',
        revision: 2,
        final: true,
      },
      { kind: 'quote', venue: 'BINANCE', symbol: 'ETHUSDT', timeUs: 7, bid: '2600.1', ask: '2600.2' },
    ]);
  });

  it('counts a message that does not decode and keeps going', async () => {
    const { publisher, subscriber, events } = await setup(['trade.']);
    publisher.publish('trade.BINANCE.BAD', new Uint8Array([0xff, 0xff, 0xff]));
    publisher.publish(ZMQ_TOPICS.trade('BINANCE', 'BTCUSDT'), trade(7, '1.5'));
    await until(() => events.length === 1, 'the trade after the bad frame');
    expect(events[0]).toMatchObject({ kind: 'trade', seq: 7, price: '1.5' });
    expect(subscriber.stats().undecodable).toBe(1);
  });

  it("dates a book top without its own time (Binance bookTicker) at the envelope's observed time", () => {
    const top = (timeUs: number) =>
      EnvelopeCodec.encode({
        eventType: EventType.bookTop,
        venue: 'BINANCE',
        symbol: 'ETHUSDT',
        observedAtUs: 1_723_161_240_123_456,
        payload: BookTopCodec.encode({ bidPrice: '2600.1', askPrice: '2600.2', timeUs }),
      });
    expect(toLiveEvent(top(0))).toEqual({
      kind: 'quote',
      venue: 'BINANCE',
      symbol: 'ETHUSDT',
      timeUs: 1_723_161_240_123_456,
      bid: '2600.1',
      ask: '2600.2',
    });
    // Its own time, when it has one, wins.
    expect(toLiveEvent(top(1_723_161_240_000_007))).toMatchObject({ timeUs: 1_723_161_240_000_007 });
  });
});

describe('ZeroMQ live-feed subscriber, followed prefixes', () => {
  it('receives a followed prefix while it is followed, and only what is subscribed', async () => {
    const { publisher, subscriber, events } = await setup(['trade.BINANCE.PROBE', 'trade.BINANCE.END']);
    const release = subscriber.follow(ZMQ_TOPICS.trade('BINANCE', 'BTCUSDT'));
    const again = subscriber.follow(ZMQ_TOPICS.trade('BINANCE', 'BTCUSDT'));
    // One of two followers lets go: the prefix stays followed.
    again();
    let seq = 0;
    await until(() => {
      publisher.publish(ZMQ_TOPICS.trade('BINANCE', 'ETHUSDT'), trade(++seq, '2600', 'ETHUSDT'));
      publisher.publish(ZMQ_TOPICS.trade('BINANCE', 'BTCUSDT'), trade(++seq, '61837.63'));
      return events.length > 0;
    }, 'a followed trade');
    publisher.publish(ZMQ_TOPICS.trade('BINANCE', 'END'), trade(0, '1', 'END'));
    await until(() => events.some((e) => e.symbol === 'END'), 'the end probe');
    expect(new Set(events.map((e) => e.symbol))).toEqual(new Set(['BTCUSDT', 'END']));
    release();
    release(); // a second call is a no-op
  });
});
