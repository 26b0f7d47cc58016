import type { Logger } from '../../core/logger.ts';
import { BarCodec, BookTopCodec, EnvelopeCodec, EventType, TradeCodec } from '../../proto/index.ts';
import { TOPIC_NAMES } from '../bus/topic-names.ts';
import type { Bus, BusBatch, Subscription } from '../bus/types.ts';
import type { QuoteBook } from './quotes/quote-book.ts';
import type { ZmqPublisher } from './zmq-publisher.ts';
import { ZMQ_TOPICS } from './zmq-topics.ts';

/** Bus topics the live feed relays. */
export const REALTIME_SOURCE_TOPICS = [
  TOPIC_NAMES.normTradeSequenced,
  TOPIC_NAMES.bars1m,
  TOPIC_NAMES.barsDerived,
  TOPIC_NAMES.normBookTop,
  TOPIC_NAMES.normTicker,
] as const;

/** Base and quote asset of a venue symbol, from the symbol registry. */
export type AssetResolver = (venue: string, symbol: string) => { base: string; quote: string } | undefined;

export interface RealtimeBridgeDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly publisher: ZmqPublisher;
  readonly quotes: QuoteBook;
  readonly resolveAssets: AssetResolver;
}

/**
 * Relays sequenced trades, bars, book tops and tickers from the bus to the ZeroMQ feed (the
 * envelope bytes are forwarded as they are: decoded once for routing, never re-encoded) and
 * keeps the quote book current. Live only: it joins at the end of each topic.
 */
export async function createRealtimeBridge(
  deps: RealtimeBridgeDeps,
  options: { groupId?: string } = {},
): Promise<{ stop(): Promise<void> }> {
  const { publisher, quotes, resolveAssets, logger } = deps;
  let undecodable = 0;

  async function relay(batch: BusBatch): Promise<void> {
    for (const message of batch.messages) {
      let env: ReturnType<typeof EnvelopeCodec.decode>;
      try {
        env = EnvelopeCodec.decode(message.value);
        switch (env.eventType) {
          case EventType.trade:
          case EventType.aggTrade: {
            publisher.publish(ZMQ_TOPICS.trade(env.venue, env.symbol), message.value);
            const assets = resolveAssets(env.venue, env.symbol);
            if (assets) {
              const trade = TradeCodec.decode(env.payload);
              quotes.updateTrade(
                { venue: env.venue, symbol: env.symbol, ...assets },
                trade.price,
                trade.timeUs,
              );
            }
            break;
          }
          case EventType.bar: {
            const bar = BarCodec.decode(env.payload);
            publisher.publish(ZMQ_TOPICS.bar(bar.period, env.venue, env.symbol), message.value);
            break;
          }
          case EventType.bookTop: {
            publisher.publish(ZMQ_TOPICS.book(env.venue, env.symbol), message.value);
            const assets = resolveAssets(env.venue, env.symbol);
            if (assets) {
              const top = BookTopCodec.decode(env.payload);
              quotes.updateBook(
                { venue: env.venue, symbol: env.symbol, ...assets },
                top.bidPrice,
                top.askPrice,
                top.timeUs,
              );
            }
            break;
          }
          case EventType.ticker:
            publisher.publish(ZMQ_TOPICS.ticker(env.venue, env.symbol), message.value);
            break;
          default:
            break;
        }
      } catch (error) {
        // The processors that wrote these topics validated them; a bad frame here is counted, not fatal.
        undecodable++;
        if (undecodable % 1000 === 1)
          logger.warn({ err: error, topic: message.topic, undecodable }, 'realtime: undecodable message');
      }
    }
  }

  const subscription: Subscription = await deps.bus.subscribe({
    groupId: options.groupId ?? `realtime-${process.pid}-${Date.now()}`,
    topics: REALTIME_SOURCE_TOPICS,
    fromBeginning: false,
    handler: relay,
  });
  return { stop: () => subscription.stop() };
}
