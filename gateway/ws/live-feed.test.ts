/** The live router: listeners per topic, and the watch hook the gateway follows ZeroMQ trades with. */
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../pipeline/realtime/index.ts';
import { createLiveRouter, type LiveMessage, type LiveTopic } from './live-feed.ts';

const TRADES: LiveTopic = { stream: 'trades', exchange: 'BINANCE', symbol: 'BTCUSDT' };
const trade: LiveEvent = {
  kind: 'trade',
  venue: 'BINANCE',
  symbol: 'BTCUSDT',
  timeUs: 1,
  price: '61837.63',
  qty: '0.5',
  side: 'sell',
  seq: 7,
};

describe('live router', () => {
  it('watches a topic from its first listener until its last one leaves', () => {
    const calls: string[] = [];
    const router = createLiveRouter({
      watch: (topic) => {
        calls.push(`watch ${topic.stream} ${topic.symbol}`);
        return () => calls.push(`unwatch ${topic.stream} ${topic.symbol}`);
      },
    });
    const a: LiveMessage[] = [];
    const b: LiveMessage[] = [];
    const offA = router.subscribe(TRADES, (m) => a.push(m));
    const offB = router.subscribe(TRADES, (m) => b.push(m));
    router.publish(trade);
    offA();
    expect(calls).toEqual(['watch trades BTCUSDT']);
    router.publish(trade);
    offB();
    router.publish(trade);
    expect(calls).toEqual(['watch trades BTCUSDT', 'unwatch trades BTCUSDT']);
    expect(a.map((m) => m.type)).toEqual(['trade']);
    expect(b.map((m) => m.type)).toEqual(['trade', 'trade']);
    router.subscribe(TRADES, () => undefined);
    expect(calls).toEqual(['watch trades BTCUSDT', 'unwatch trades BTCUSDT', 'watch trades BTCUSDT']);
  });
});
