import { describe, expect, it } from 'vitest';
import { parseBinanceConfig, resolveEndpoints } from './config.ts';

describe('Binance config', () => {
  it('fills market defaults: URLs, stream and message limits, weight limits', () => {
    const spot = resolveEndpoints(parseBinanceConfig({ symbols: ['btcusdt'] }));
    expect(spot).toMatchObject({
      venue: 'BINANCE',
      wsBaseUrl: 'wss://stream.binance.com:9443',
      restBaseUrl: 'https://api.binance.com',
      restPrefix: '/api/v3',
      maxStreamsPerConnection: 1024,
      maxIncomingMessagesPerSecond: 5,
    });
    expect(resolveEndpoints(parseBinanceConfig({ market: 'usdm', symbols: ['BTCUSDT'] }))).toMatchObject({
      venue: 'BINANCE_USDM',
      wsBaseUrl: 'wss://fstream.binance.com',
      restPrefix: '/fapi/v1',
      maxIncomingMessagesPerSecond: 10,
    });
    expect(resolveEndpoints(parseBinanceConfig({ market: 'coinm', symbols: ['BTCUSD_PERP'] }))).toMatchObject(
      {
        venue: 'BINANCE_COINM',
        restBaseUrl: 'https://dapi.binance.com',
        restPrefix: '/dapi/v1',
      },
    );
  });

  it('upper-cases symbols, strips trailing slashes from URLs, and freezes the result', () => {
    const c = parseBinanceConfig({
      symbols: ['ethbtc'],
      wsBaseUrl: 'ws://127.0.0.1:9000/',
      ws: { deadAfterMs: 5000 },
    });
    expect(c.symbols).toEqual(['ETHBTC']);
    expect(c.wsBaseUrl).toBe('ws://127.0.0.1:9000');
    expect(c.ws.pingIntervalMs).toBe(30_000);
    expect(c.ws.reconnect.initialDelayMs).toBe(500);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names the key and the valid values when a stream is wrong', () => {
    expect(() => parseBinanceConfig({ symbols: ['BTCUSDT'], streams: ['trades'] })).toThrow(
      /streams[\s\S]*trade, aggTrade, bookTicker, ticker, kline_</,
    );
    expect(() => parseBinanceConfig({ symbols: ['BTC USDT'] })).toThrow(/Binance symbol/);
    expect(() => parseBinanceConfig({ symbols: ['BTCUSDT'], colour: 'red' })).toThrow(/colour/);
  });

  it('refuses trade and aggTrade together: one stored series holds one id space', () => {
    expect(() => parseBinanceConfig({ symbols: ['BTCUSDT'], streams: ['trade', 'aggTrade'] })).toThrow(
      /streams[\s\S]*choose trade or aggTrade, not both/,
    );
    expect(parseBinanceConfig({ symbols: ['BTCUSDT'], streams: ['aggTrade', 'bookTicker'] }).streams).toEqual(
      ['aggTrade', 'bookTicker'],
    );
  });
});
