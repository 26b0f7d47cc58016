import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalDecimal } from '../../core/decimal/index.ts';
import { recordedData } from '../../test/support/index.ts';
import {
  type BarRow,
  createStoreReader,
  createStoreWriter,
  type StoreReader,
  type StoreWriter,
} from './index.ts';
import { tempStore } from './testing/temp-store.ts';

const S = { venue: 'BINANCE', symbol: 'ADABTC' };
// Real Binance spot 1m klines (data.binance.vision CSV): openTime, O, H, L, C, volume, closeTime,
// quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore.
const klines: BarRow[] = readFileSync(
  recordedData('candles', 'binance-spot-ADABTC-1m-2021-11-27.csv'),
  'utf8',
)
  .trim()
  .split('\n')
  .map((line) => {
    const f = line.split(',');
    return {
      ...S,
      period: '1m',
      openTimeUs: Number(f[0]) * 1000,
      closeTimeUs: (Number(f[6]) + 1) * 1000,
      open: f[1]!,
      high: f[2]!,
      low: f[3]!,
      close: f[4]!,
      volume: f[5]!,
      quoteVolume: f[7]!,
      tradeCount: Number(f[8]),
      takerBuyVolume: f[9]!,
      takerBuyQuoteVolume: f[10]!,
      final: true,
    };
  });

/** Exact sum of decimal strings with at most 8 fractional digits. */
function sum8(values: string[]): string {
  const total = values.reduce((acc, v) => {
    const [i = '0', f = ''] = v.split('.');
    return acc + BigInt(i + f.padEnd(8, '0'));
  }, 0n);
  const s = total.toString().padStart(9, '0');
  return canonicalDecimal(`${s.slice(0, -8)}.${s.slice(-8)}`);
}

const store = tempStore();
let writer: StoreWriter;
let reader: StoreReader;
beforeAll(async () => {
  writer = await createStoreWriter({}, store.config);
  reader = await createStoreReader({}, store.config);
  await writer.appendBars(klines);
  await writer.flush();
});
afterAll(async () => {
  await writer.close();
  reader.close();
  store.cleanup();
});

describe('venue klines stored directly', () => {
  it('keeps every kline field exactly (unknown maker volume stays empty)', async () => {
    const back = await reader.getBars({ ...S, period: '1m', fromUs: 0 });
    expect(back).toHaveLength(klines.length);
    back.forEach((b, i) => {
      const k = klines[i]!;
      expect(b).toMatchObject({
        openTimeUs: k.openTimeUs,
        closeTimeUs: k.closeTimeUs,
        open: canonicalDecimal(k.open),
        close: canonicalDecimal(k.close),
        volume: canonicalDecimal(k.volume),
        quoteVolume: canonicalDecimal(k.quoteVolume!),
        takerBuyVolume: canonicalDecimal(k.takerBuyVolume!),
        tradeCount: k.tradeCount,
        makerVolume: '',
        final: true,
      });
    });
  });

  it('aggregates them exactly to 1h, and serves stored 1h bars of the same series on request', async () => {
    const [hour] = await reader.getBars({ ...S, period: '1h', fromUs: 0 });
    expect(hour).toMatchObject({
      openTimeUs: Date.UTC(2021, 10, 27) * 1000,
      open: canonicalDecimal(klines[0]!.open),
      close: canonicalDecimal(klines.at(-1)!.close),
      high: canonicalDecimal(klines.map((k) => k.high).sort((a, b) => Number(b) - Number(a))[0]!),
      volume: sum8(klines.map((k) => k.volume)),
      quoteVolume: sum8(klines.map((k) => k.quoteVolume!)),
      takerBuyQuoteVolume: sum8(klines.map((k) => k.takerBuyQuoteVolume!)),
      tradeCount: klines.reduce((n, k) => n + k.tradeCount!, 0),
      final: true,
    });
    await writer.appendBars([{ ...hour!, ...S, volume: '1' }]);
    await writer.flush();
    const [stored] = await reader.getBars({ ...S, period: '1h', fromUs: 0, source: 'stored' });
    expect(stored).toEqual({ ...hour, volume: '1' });
    // With 1m bars present, `auto` still derives from them.
    expect((await reader.getBars({ ...S, period: '1h', fromUs: 0 }))[0]).toEqual(hour);
    // Without them (another symbol), `auto` answers from the stored period.
    await writer.appendBars([{ ...hour!, venue: 'BINANCE', symbol: 'ONLYHOURS' }]);
    await writer.flush();
    expect(await reader.getBars({ venue: 'BINANCE', symbol: 'ONLYHOURS', period: '1h', limit: 10 })).toEqual([
      hour,
    ]);
  });
});
