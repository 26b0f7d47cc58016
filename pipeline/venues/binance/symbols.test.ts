import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MarketType } from '../../../proto/index.ts';
import { recordedData } from '../../../test/support/index.ts';
import { exchangeInfoSchema } from './schemas/rest.ts';
import { toSymbolInfos } from './symbols.ts';

const read = (name: string) =>
  exchangeInfoSchema.parse(JSON.parse(readFileSync(recordedData('rest', name), 'utf8')));

describe('exchangeInfo -> SymbolInfo', () => {
  it('spot (full 2021 document, 1,695 symbols): tick and lot sizes from the filters', () => {
    const infos = toSymbolInfos('spot', read('binance-spot-exchangeInfo-full-20211012.json'));
    expect(infos).toHaveLength(1695);
    const by = new Map(infos.map((i) => [i.venueSymbol, i]));
    expect(by.get('BTCUSDT')).toMatchObject({
      exchangeId: 'BINANCE',
      marketId: 'BTC/USDT',
      marketType: MarketType.MARKET_TYPE_SPOT,
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      tickSize: '0.01',
      lotSize: '0.00001',
      status: 'TRADING',
      contractSize: '',
    });
    expect(by.get('ETHUSDT')).toMatchObject({ tickSize: '0.01', lotSize: '0.0001' });
    expect(by.get('ADABTC')).toMatchObject({ marketId: 'ADA/BTC', tickSize: '0.00000001', lotSize: '0.1' });
    expect(by.get('XRPETH')).toMatchObject({ tickSize: '0.0000001', lotSize: '1' });
    expect(by.get('BTCUSDT')!.supportedPeriods).toContain('1m');
  });

  it('filters to the configured symbols', () => {
    const infos = toSymbolInfos('spot', read('binance-spot-exchange-info-20211022.json'), ['ethusdt']);
    expect(infos.map((i) => i.venueSymbol)).toEqual(['ETHUSDT']);
  });

  it('COIN-M: contract size, perpetual vs dated future, onboard date as earliest time', () => {
    // Two entries in the shape of GET /dapi/v1/exchangeInfo (trimmed to the fields we read).
    const info = exchangeInfoSchema.parse({
      serverTime: 1723161600000,
      symbols: [
        {
          symbol: 'BTCUSD_PERP',
          pair: 'BTCUSD',
          contractType: 'PERPETUAL',
          deliveryDate: 4133404800000,
          onboardDate: 1597042800000,
          contractStatus: 'TRADING',
          contractSize: 100,
          marginAsset: 'BTC',
          baseAsset: 'BTC',
          quoteAsset: 'USD',
          filters: [
            { filterType: 'PRICE_FILTER', minPrice: '1000', maxPrice: '4520958', tickSize: '0.1' },
            { filterType: 'LOT_SIZE', stepSize: '1', maxQty: '1000000', minQty: '1' },
          ],
        },
        {
          symbol: 'BTCUSD_241227',
          contractType: 'NEXT_QUARTER',
          deliveryDate: 1735286400000,
          onboardDate: 1719561600000,
          contractStatus: 'TRADING',
          contractSize: 100,
          marginAsset: 'BTC',
          baseAsset: 'BTC',
          quoteAsset: 'USD',
          filters: [{ filterType: 'PRICE_FILTER', tickSize: '0.1' }],
        },
      ],
    });
    const [perp, dated] = toSymbolInfos('coinm', info);
    expect(perp).toMatchObject({
      exchangeId: 'BINANCE_COINM',
      marketId: 'BTC/USD:BTC',
      marketType: MarketType.MARKET_TYPE_PERPETUAL,
      contractSize: '100',
      tickSize: '0.1',
      lotSize: '1',
      status: 'TRADING',
      earliestTimeUs: 1597042800000_000,
    });
    expect(dated).toMatchObject({
      marketId: 'BTC/USD:BTC-241227',
      marketType: MarketType.MARKET_TYPE_FUTURE,
    });
  });
});
