import { describe, expect, it } from 'vitest';
import { diffSubscriptions, sameSeries, subscriptionsFor } from './subscriptions.ts';

const btc = { exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m' };

describe('subscriptions', () => {
  it('the shown series needs its bars and its quotes', () => {
    expect(subscriptionsFor(btc)).toEqual([
      { stream: 'bars', exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m' },
      { stream: 'quotes', exchange: 'BINANCE', symbol: 'BTCUSDT' },
    ]);
  });

  it('from nothing: subscribes to everything (a fresh connection)', () => {
    expect(diffSubscriptions([], subscriptionsFor(btc)).map((m) => m.op)).toEqual(['subscribe', 'subscribe']);
  });

  it('a period switch moves the bars only; quotes stay', () => {
    const messages = diffSubscriptions(subscriptionsFor(btc), subscriptionsFor({ ...btc, period: '5m' }));
    expect(messages).toEqual([
      { op: 'unsubscribe', stream: 'bars', exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m' },
      { op: 'subscribe', stream: 'bars', exchange: 'BINANCE', symbol: 'BTCUSDT', period: '5m' },
    ]);
  });

  it('a symbol switch moves both, unsubscribing first; no change sends nothing', () => {
    const eth = { ...btc, symbol: 'ETHUSDT' };
    expect(diffSubscriptions(subscriptionsFor(btc), subscriptionsFor(eth)).map((m) => m.op)).toEqual([
      'unsubscribe',
      'unsubscribe',
      'subscribe',
      'subscribe',
    ]);
    expect(diffSubscriptions(subscriptionsFor(btc), subscriptionsFor({ ...btc }))).toEqual([]);
  });

  it('sameSeries compares exchange, symbol and period', () => {
    expect(sameSeries(btc, { ...btc })).toBe(true);
    expect(sameSeries(btc, { ...btc, exchange: 'OKX' })).toBe(false);
    expect(sameSeries(undefined, btc)).toBe(false);
  });
});
