/**
 * Our bars against an independent reference: freqtrade's XRP/ETH 1m and 5m candles,
 * built by freqtrade from the very aggTrades we read (PROVENANCE note 4). freqtrade
 * prints float64 shortest round-trip strings; the 8-decimal prices survive that
 * exactly, so prices compare as exact decimals; volumes are whole XRP.
 */
import { describe, expect, it } from 'vitest';
import { canonicalDecimal, formatDecimal, PRODUCT_SCALE, parseDecimal } from '../../../core/decimal/index.ts';
import {
  loadBtcusdtTrades,
  loadFreqtradeXrpethCandles,
  loadXrpethAggTrades,
  type RecordedTrade,
} from '../testing/recorded-trades.ts';
import { buildBars, deriveBars, toBarMessage, toBarTrade } from './index.ts';

const toBarTrades = (trades: RecordedTrade[]) =>
  trades.map((t, i) => toBarTrade(i + 1, t.timeUs, t.price, t.quantity, t.aggressor, t.tradeCount));

describe('XRP/ETH 2019-10-11 against freqtrade', () => {
  const trades = toBarTrades(loadXrpethAggTrades());

  for (const period of ['1m', '5m'] as const) {
    it(`${period}: every candle equals freqtrade (OHLC exact, volume), empty buckets omitted`, () => {
      const ref = loadFreqtradeXrpethCandles(period);
      const ours = buildBars(trades, period).map(toBarMessage);
      expect(ours.length).toBe(ref.length);
      expect(ours.length).toBe(period === '1m' ? 1022 : 287);
      for (let i = 0; i < ref.length; i++) {
        const r = ref[i]!;
        const o = ours[i]!;
        expect({
          t: o.openTimeUs,
          open: o.open,
          high: o.high,
          low: o.low,
          close: o.close,
          volume: o.volume,
        }).toEqual({
          t: r.openTimeMs * 1000,
          open: canonicalDecimal(r.open),
          high: canonicalDecimal(r.high),
          low: canonicalDecimal(r.low),
          close: canonicalDecimal(r.close),
          volume: canonicalDecimal(r.volume),
        });
      }
    });
  }

  it('5m derived from our 1m equals freqtrade 5m too', () => {
    const ref = loadFreqtradeXrpethCandles('5m');
    const derived = deriveBars(buildBars(trades, '1m'), '5m').map(toBarMessage);
    expect(derived.map((b) => [b.openTimeUs, b.open, b.high, b.low, b.close, b.volume])).toEqual(
      ref.map((r) => [
        r.openTimeMs * 1000,
        ...[r.open, r.high, r.low, r.close, r.volume].map(canonicalDecimal),
      ]),
    );
  });

  it('trade count sums aggTrade executions (l - f + 1): 6,922 for the day', () => {
    const bars = buildBars(trades, '1d');
    expect(bars).toHaveLength(1);
    expect(bars[0]!.tradeCount).toBe(6922);
  });
});

describe('BTCUSDT 2024-08-08/09 trades', () => {
  it('quote volume is the exact sum of the per-trade quote quantities', () => {
    const raw = loadBtcusdtTrades();
    const bars = buildBars(toBarTrades(raw), '1m');
    expect(bars.map((b) => b.tradeCount).reduce((a, b) => a + b, 0)).toBe(19_904);
    const total = bars.reduce((a, b) => a + b.quoteVolume, 0n);
    // The file's quote column was computed exactly (decimal) by the data's curator.
    const expected = raw.reduce((a, t) => a + parseDecimal(t.quoteQuantity), 0n);
    expect(formatDecimal(total, PRODUCT_SCALE)).toBe(formatDecimal(expected));
    for (const b of bars) {
      expect(b.volume).toBe(b.takerBuyVolume + b.makerVolume);
      expect(b.takerBuyQuoteVolume <= b.quoteVolume).toBe(true);
    }
  });
});
