import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tryCanonicalDecimal } from '../../../../core/decimal/index.ts';
import { BarCodec, EnvelopeCodec, Side, TradeCodec } from '../../../../proto/index.ts';
import { restAggTradesSchema, restKlinesSchema, restTradesSchema } from '../schemas/rest.ts';
import { sharedData } from '../testing/recordings.ts';
import { restAggTradesToRecords, restKlinesToRecords, restTradesToRecords } from './rest.ts';

const rest = (name: string): unknown => JSON.parse(readFileSync(sharedData('rest', name), 'utf8'));
const opts = { venue: 'BINANCE', symbol: 'BTCUSDT', ingestedAtUs: 1_700_000_000_000_000 };

describe('REST history -> norm envelopes', () => {
  it('klines: final when closed before asOf, same final event id as the websocket path', () => {
    const klines = restKlinesSchema.parse(rest('binance-spot-klines-20211022.json'));
    const asOfMs = klines[9]![6]; // the last bar is still forming at this instant
    const { records, failures } = restKlinesToRecords({ ...opts, interval: '1m', asOfMs }, klines);
    expect(failures).toEqual([]);
    expect(records).toHaveLength(10);
    const envs = records.map((r) => EnvelopeCodec.decode(r.value));
    expect(envs[0]!.eventId).toBe('BINANCE:BTCUSDT:bar:1m:1634943780000:final');
    expect(envs[0]!.stream).toBe('kline_1m');
    const bar = BarCodec.decode(envs[0]!.payload);
    expect(bar).toMatchObject({
      period: '1m',
      open: '60685.22',
      high: '60729.84',
      low: '60670.9',
      close: '60719.27',
      volume: '21.63272',
      takerBuyVolume: '12.28492',
      makerVolume: '9.3478',
      quoteVolume: '1313200.0134041',
      final: true,
    });
    expect(Number(bar.closeTimeUs) - Number(bar.openTimeUs)).toBe(60_000_000);
    expect(BarCodec.decode(envs[9]!.payload).final).toBe(false);
    expect(envs[9]!.eventId).toBe(`BINANCE:BTCUSDT:bar:1m:${klines[9]![0]}:${asOfMs}`);
  });

  it('aggTrades: ids, first/last trade ids and aggressor', () => {
    const rows = restAggTradesSchema.parse(rest('binance-spot-agg-trades-20211022.json'));
    const { records, failures } = restAggTradesToRecords(opts, rows);
    expect(failures).toEqual([]);
    const envs = records.map((r) => EnvelopeCodec.decode(r.value));
    expect(envs.map((e) => e.eventId)).toEqual(rows.map((r) => `BINANCE:BTCUSDT:agg_trade:${r.a}`));
    const t = TradeCodec.decode(envs[0]!.payload);
    expect([t.firstTradeId, t.lastTradeId, t.aggressor]).toEqual(['1111480471', '1111480471', Side.SIDE_BUY]);
    expect(Number(envs[0]!.observedAtUs)).toBe(rows[0]!.T * 1000);
  });

  it('trades and historicalTrades: our exact price*qty equals Binance quoteQty', () => {
    for (const file of [
      'binance-spot-trades-20211022.json',
      'binance-spot-historical-trades-20211022.json',
    ]) {
      const rows = restTradesSchema.parse(rest(file));
      const { records, failures } = restTradesToRecords(opts, rows);
      expect(failures).toEqual([]);
      expect(records).toHaveLength(10);
      records.forEach((r, i) => {
        const env = EnvelopeCodec.decode(r.value);
        expect(env.eventId).toBe(`BINANCE:BTCUSDT:trade:${rows[i]!.id}`);
        const t = TradeCodec.decode(env.payload);
        expect(t.quoteQuantity).toBe(tryCanonicalDecimal(rows[i]!.quoteQty!));
        expect(t.aggressor).toBe(rows[i]!.isBuyerMaker ? Side.SIDE_SELL : Side.SIDE_BUY);
      });
    }
  });
});
