import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BookTopCodec, EnvelopeCodec, Side, TradeCodec } from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { scanFrame } from '../ingest.ts';
import { readRecording, sharedData } from '../testing/recordings.ts';
import { createFrameNormalizer } from './frame.ts';

const { normalizeFrame } = createFrameNormalizer();

function normalizeRecording(venue: string, ...files: string[][]) {
  const out: BusRecord[] = [];
  const outcomes: Record<string, number> = {};
  for (const file of files) {
    for (const f of readRecording(...file)) {
      const info = scanFrame(f);
      const o = normalizeFrame(f.data, { venue, stream: info.stream, ingestedAtUs: f.receivedAtUs }, out);
      const k = o.kind === 'failed' ? `failed:${o.failure.code}` : o.kind;
      outcomes[k] = (outcomes[k] ?? 0) + 1;
    }
  }
  return { out, outcomes };
}

describe('USD-M BTCUSDT recording', () => {
  const { out, outcomes } = normalizeRecording('BINANCE_USDM', [
    'binance-ws-recorded',
    'usdm',
    'btcusdt_20240808.gz',
  ]);

  it('normalizes all 21,313 trades (X=MARKET) equal to the derived CSV; depth stays raw', () => {
    expect(outcomes).toEqual({ normalized: 21_313 + 66_089, not_normalized: 6551 + 1 });
    const trades = out
      .filter((r) => r.topic === 'norm.trade')
      .map((r) => TradeCodec.decode(EnvelopeCodec.decode(r.value).payload));
    const csv = gunzipSync(
      readFileSync(sharedData('trades', 'binance-usdm-BTCUSDT-trades-20240808T2354Z-20240808T2359Z.csv.gz')),
    )
      .toString()
      .trim()
      .split('\n')
      .slice(1);
    expect(trades).toHaveLength(csv.length);
    for (let i = 0; i < trades.length; i++) {
      const t = trades[i]!;
      const [id, price, qty, quote, time, buyerMaker] = csv[i]!.split(',');
      expect([t.tradeId, t.quoteQuantity, Number(t.timeUs)]).toEqual([id, quote, Number(time) * 1000]);
      expect(t.price).toBe(price!.replace(/\.?0+$/, ''));
      expect(t.quantity).toBe(qty!.replace(/\.?0+$/, ''));
      expect(t.aggressor).toBe(buyerMaker === 'true' ? Side.SIDE_SELL : Side.SIDE_BUY);
    }
  });

  it('futures bookTicker carries venue times', () => {
    const env = EnvelopeCodec.decode(out.find((r) => r.topic === 'norm.book_top')!.value);
    expect(env.eventId).toBe('BINANCE_USDM:BTCUSDT:book_top:5123107839020');
    expect(Number(env.observedAtUs)).toBe(1723161256313_000);
    expect(Number(BookTopCodec.decode(env.payload).timeUs)).toBe(1723161256313_000);
  });

  it('skips a non-MARKET futures trade (insurance fund) without failing', () => {
    const frame =
      '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161256322,"T":1723161256322,"s":"BTCUSDT","t":5266583935,"p":"61800.30","q":"0.006","X":"INSURANCE_FUND","m":false}}';
    const sink: BusRecord[] = [];
    expect(normalizeFrame(frame, { venue: 'BINANCE_USDM', stream: 'trade', ingestedAtUs: 0 }, sink)).toEqual({
      kind: 'normalized',
      count: 0,
    });
  });
});

describe('COIN-M BTCUSD_PERP recordings', () => {
  it('normalizes every trade across both files: ids contiguous, quantities in contracts, no quote quantity', () => {
    const { out, outcomes } = normalizeRecording(
      'BINANCE_COINM',
      ['binance-ws-recorded', 'cm', 'btcusd_perp_20240808.gz'],
      ['binance-ws-recorded', 'cm', 'btcusd_perp_20240809.gz'],
    );
    expect(outcomes).toEqual({
      normalized: 2286 + 19_136 + 2949 + 29_219,
      not_normalized: 26_847 + 1 + 17_948,
    });
    const envs = out.filter((r) => r.topic === 'norm.trade').map((r) => EnvelopeCodec.decode(r.value));
    expect(envs).toHaveLength(2286 + 2949);
    expect(envs[0]!.eventId).toBe('BINANCE_COINM:BTCUSD_PERP:trade:849714402');
    let prev = 849714401;
    for (const env of envs) {
      const t = TradeCodec.decode(env.payload);
      expect(Number(t.tradeId)).toBe(prev + 1);
      prev = Number(t.tradeId);
      expect(t.quantity).toMatch(/^\d+$/);
      expect(t.quoteQuantity).toBe('');
    }
    expect(prev).toBe(849719636);
  });
});
