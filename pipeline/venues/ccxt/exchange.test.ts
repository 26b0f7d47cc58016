import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ccxtVenueConfigSchema } from './config.ts';
import { createCcxtExchange, rewriteApiUrls } from './exchange.ts';
import { precisionToStep } from './symbols.ts';

describe('createCcxtExchange', () => {
  it('redirects every API URL of the host and narrows market types', () => {
    const ex = createCcxtExchange(
      ccxtVenueConfigSchema.parse({
        exchange: 'binance',
        marketTypes: ['spot'],
        hostOverrides: { 'https://api.binance.com': 'http://127.0.0.1:9999' },
        apiUrls: { fapiPublic: 'http://127.0.0.1:9998/fapi/v1' },
        rateLimitMs: 200,
      }),
    );
    const api = ex.urls.api as Record<string, string>;
    expect(api.public).toBe('http://127.0.0.1:9999/api/v3');
    expect(api.sapi).toBe('http://127.0.0.1:9999/sapi/v1');
    expect(api.fapiPublic).toBe('http://127.0.0.1:9998/fapi/v1');
    expect(api.dapiPublic).toBe('https://dapi.binance.com/dapi/v1');
    expect((ex.options.fetchMarkets as { types: string[] }).types).toEqual(['spot']);
    expect(ex.enableRateLimit).toBe(true);
    expect(ex.rateLimit).toBe(200);
  });

  it('rewrites nested URL maps and leaves other hosts alone', () => {
    expect(
      rewriteApiUrls({ a: { b: 'https://x.io/v1' }, c: 'https://y.io' }, { 'https://x.io/': 'http://l:1' }),
    ).toEqual({
      a: { b: 'http://l:1/v1' },
      c: 'https://y.io',
    });
  });
});

describe('precisionToStep', () => {
  it('reads tick-size and decimal-places precision modes', () => {
    expect(precisionToStep(1e-7, ccxt.TICK_SIZE)).toBe('0.0000001');
    expect(precisionToStep(2, ccxt.DECIMAL_PLACES)).toBe('0.01');
    expect(precisionToStep(0, ccxt.DECIMAL_PLACES)).toBe('1');
    expect(precisionToStep(3, ccxt.SIGNIFICANT_DIGITS)).toBe('');
  });
});
