import { describe, expect, it } from 'vitest';
import { moveHighlight, searchSymbols, symbolsAnswerSchema } from './symbol-search.ts';

const { symbols } = symbolsAnswerSchema.parse({
  symbols: [
    {
      exchange: 'BINANCE',
      symbol: 'ETHBTC',
      baseAsset: 'ETH',
      quoteAsset: 'BTC',
      description: 'Ether / Bitcoin',
    },
    { exchange: 'BINANCE', symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', description: 'Bitcoin' },
    { exchange: 'OKX', symbol: 'BTC-USDT', baseAsset: 'BTC', quoteAsset: 'USDT' },
    { exchange: 'BINANCE', symbol: 'XRPETH', baseAsset: 'XRP', quoteAsset: 'ETH', description: 'Ripple' },
  ],
});
const names = (q: string) => searchSymbols(symbols, q).map((s) => `${s.exchange}:${s.symbol}`);

describe('searchSymbols', () => {
  it('ranks exact and prefix matches before substrings, ignoring case and separators', () => {
    expect(names('btcusdt')).toEqual(['BINANCE:BTCUSDT', 'OKX:BTC-USDT']);
    expect(names('BTC/USDT')).toEqual(['BINANCE:BTCUSDT', 'OKX:BTC-USDT']);
    expect(names('btc')).toEqual(['BINANCE:BTCUSDT', 'OKX:BTC-USDT', 'BINANCE:ETHBTC']);
  });

  it('narrows by exchange with EXCHANGE:SYMBOL, and finds descriptions', () => {
    expect(names('okx:btc')).toEqual(['OKX:BTC-USDT']);
    expect(names('okx:')).toEqual(['OKX:BTC-USDT']);
    expect(names('ripple')).toEqual(['BINANCE:XRPETH']);
  });

  it('an empty query lists the registry up to the limit; nothing matches nothing', () => {
    expect(searchSymbols(symbols, '  ', 2)).toHaveLength(2);
    expect(names('DOGE')).toEqual([]);
  });
});

describe('moveHighlight', () => {
  it('wraps both ways and enters from either end', () => {
    expect(moveHighlight(-1, 1, 3)).toBe(0);
    expect(moveHighlight(-1, -1, 3)).toBe(2);
    expect(moveHighlight(2, 1, 3)).toBe(0);
    expect(moveHighlight(0, -1, 3)).toBe(2);
    expect(moveHighlight(0, 1, 0)).toBe(-1);
  });
});
