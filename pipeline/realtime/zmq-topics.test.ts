import { describe, expect, it } from 'vitest';
import { loadTopicCatalog } from '../bus/topics.ts';
import { ZMQ_TOPICS } from './zmq-topics.ts';

describe('ZeroMQ topics', () => {
  it('publishes exactly the prefixes declared in deploy/topics.yaml', () => {
    const declared = loadTopicCatalog().realtime.map((t) => t.name);
    const built = [
      ZMQ_TOPICS.trade('<VENUE>', '<SYMBOL>'),
      ZMQ_TOPICS.bar('<period>', '<VENUE>', '<SYMBOL>'),
      ZMQ_TOPICS.book('<VENUE>', '<SYMBOL>'),
      ZMQ_TOPICS.ticker('<VENUE>', '<SYMBOL>'),
    ];
    expect(built.sort()).toEqual([...declared].sort());
  });

  it('keeps one series under one prefix so subscribers can filter by venue and symbol', () => {
    expect(ZMQ_TOPICS.bar('1m', 'BINANCE', 'BTCUSDT').startsWith('bar.1m.BINANCE.')).toBe(true);
    expect(ZMQ_TOPICS.trade('BINANCE_USDM', 'BTCUSDT')).toBe('trade.BINANCE_USDM.BTCUSDT');
  });
});
