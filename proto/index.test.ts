import { describe, expect, it } from 'vitest';
import {
  BarCodec,
  EnvelopeCodec,
  EventType,
  eventId,
  MARKET_TYPE_NAMES,
  MarketType,
  marketTypeName,
  Side,
  seriesKey,
  TradeCodec,
} from './index.ts';

describe('wire codecs', () => {
  it('round-trips a trade inside an envelope without losing decimal digits or microseconds', () => {
    const timeUs = 1_723_161_255_342_123; // 2024-08-08T23:54:15.342123Z
    const payload = TradeCodec.encode({
      tradeId: '3735683259',
      price: '61837.63000001',
      quantity: '0.00010000',
      aggressor: Side.SIDE_SELL,
      timeUs,
      tradeCount: 1,
    });
    const bytes = EnvelopeCodec.encode({
      eventId: eventId('BINANCE', 'BTCUSDT', EventType.trade, '3735683259'),
      eventType: EventType.trade,
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      observedAtUs: timeUs,
      ingestedAtUs: timeUs + 1_272_000,
      schemaVersion: 1,
      payload,
      seq: 2 ** 40 + 7,
    });
    const env = EnvelopeCodec.decode(bytes);
    expect(env.eventId).toBe('BINANCE:BTCUSDT:trade:3735683259');
    expect(env.seq).toBe(2 ** 40 + 7);
    expect(typeof env.observedAtUs).toBe('number');
    expect(env.observedAtUs).toBe(timeUs);
    const trade = TradeCodec.decode(env.payload);
    expect(trade.price).toBe('61837.63000001');
    expect(trade.quantity).toBe('0.00010000');
    expect(trade.aggressor).toBe(Side.SIDE_SELL);
    expect(trade.timeUs).toBe(timeUs);
  });

  it('decodes defaults as plain numbers, not Long objects', () => {
    const bar = BarCodec.decode(BarCodec.encode({ period: '1m' }));
    expect(bar.openTimeUs).toBe(0);
    expect(bar.tradeCount).toBe(0);
    expect(bar.final).toBe(false);
  });

  it('rejects truncated bytes', () => {
    const bytes = TradeCodec.encode({ tradeId: '1', price: '1.5', quantity: '2' });
    expect(() => TradeCodec.decode(bytes.subarray(0, bytes.length - 2))).toThrow();
  });

  it('keys a series by venue and symbol', () => {
    expect(seriesKey('BINANCE', 'BTCUSDT')).toBe('BINANCE:BTCUSDT');
  });
});

describe('market type names', () => {
  it('name each MarketType value by its enum position', () => {
    expect(MarketType.MARKET_TYPE_SPOT).toBe(MARKET_TYPE_NAMES.indexOf('spot'));
    expect(MarketType.MARKET_TYPE_PERPETUAL).toBe(MARKET_TYPE_NAMES.indexOf('perpetual'));
    expect(MarketType.MARKET_TYPE_FUTURE).toBe(MARKET_TYPE_NAMES.indexOf('future'));
    expect(MarketType.MARKET_TYPE_OPTION).toBe(MARKET_TYPE_NAMES.indexOf('option'));
    expect(marketTypeName(MarketType.MARKET_TYPE_SPOT)).toBe('spot');
    expect(marketTypeName(99)).toBe('unknown(99)');
  });
});
