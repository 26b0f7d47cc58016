import { describe, expect, it } from 'vitest';
import type { BusRecord } from '../../../bus/types.ts';
import type { RawFrame } from '../../types.ts';
import { scanFrame } from '../ingest.ts';
import { readRecording } from '../testing/recordings.ts';
import type { NormalizeContext } from './envelope.ts';
import { createFrameNormalizer } from './frame.ts';
import { createTradeBytesNormalizer, TRADE_BAIL, TRADE_PUSHED, TRADE_SKIPPED } from './trade-bytes.ts';

const { normalizeFrame } = createFrameNormalizer();
const normalizeTradeBytes = createTradeBytesNormalizer();

const INGESTED = 1_723_161_254_000_123;

/** The general path: a string frame is always JSON-parsed (normalizeTrade), never byte-scanned. */
function general(text: string, ctx: NormalizeContext) {
  const out: BusRecord[] = [];
  return { outcome: normalizeFrame(text, ctx, out), out };
}

/** The hot path: the same frame as bytes. */
function bytes(text: string, ctx: NormalizeContext) {
  const out: BusRecord[] = [];
  return { outcome: normalizeFrame(Buffer.from(text, 'utf8'), ctx, out), out };
}

function same(a: readonly BusRecord[], b: readonly BusRecord[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (r, i) =>
        r.topic === b[i]!.topic &&
        r.key === b[i]!.key &&
        Buffer.from(r.value).equals(Buffer.from(b[i]!.value)),
    )
  );
}

function expectAgree(text: string, ctx: NormalizeContext): void {
  const want = general(text, ctx);
  const got = bytes(text, ctx);
  expect(got.outcome, text).toEqual(want.outcome);
  expect(same(got.out, want.out), text).toBe(true);
}

const trade = (data: string) => `{"stream":"btcusdt@trade","data":${data}}`;
const ctx: NormalizeContext = { venue: 'BINANCE', stream: 'trade', ingestedAtUs: INGESTED };
const base =
  '"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.00200000","T":1723161255342,"m":true,"M":true';

describe('normalizeTradeBytes', () => {
  it('takes every recorded trade (spot, USD-M, COIN-M) and writes the general path bytes', () => {
    const sets: [string, RawFrame[]][] = [
      ['BINANCE', readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz')],
      ['BINANCE', readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240809.gz')],
      ['BINANCE_USDM', readRecording('binance-ws-recorded', 'usdm', 'btcusdt_20240808.gz')],
      ['BINANCE_COINM', readRecording('binance-ws-recorded', 'cm', 'btcusd_perp_20240808.gz')],
    ];
    for (const [venue, frames] of sets) {
      const fast: BusRecord[] = [];
      const slow: BusRecord[] = [];
      const counts = { pushed: 0, skipped: 0, bailed: 0 };
      for (const f of frames) {
        const info = scanFrame(f);
        if (info.channel !== 'trade') continue;
        const c = { venue, stream: info.stream, ingestedAtUs: f.receivedAtUs };
        const done = normalizeTradeBytes(f.data, 0, f.data.length, c, fast);
        if (done === TRADE_PUSHED) counts.pushed++;
        else if (done === TRADE_SKIPPED) counts.skipped++;
        else counts.bailed++;
        normalizeFrame(Buffer.from(f.data).toString('utf8'), c, slow);
      }
      expect(counts.bailed).toBe(0);
      expect(counts.pushed).toBeGreaterThan(1000);
      expect(fast.length).toBe(slow.length);
      expect(same(fast, slow)).toBe(true);
    }
  });

  it('agrees with the general path on odd but valid shapes and on every kind of bad frame', () => {
    const frames = [
      trade(`{${base}}`),
      ` { "stream" : "btcusdt@trade" ,\n "data" : { ${base.replaceAll(',', ' , ')} } } \n`,
      `{"data":{${base}},"stream":"btcusdt@trade"}`,
      `{"stream":"btcusdt@trade","x":null,"data":{${base},"extra":"a\\"b","n":-1.5e-3,"z":[1]}}`,
      `{"stream":"btcusdt@trade","data":{${base},"n":-1.5e-3,"b":false,"k":null}}`,
      `{${base}}`, // bare payload (single-stream connection)
      trade(`{${base.replace('"M":true', '"M":false')}}`),
      trade(`{${base.replace(',"M":true', '')}}`),
      trade(`{${base.replace('"M":true', '"M":null')}}`),
      trade(`{${base.replace('"m":true', '"m":false')}}`),
      trade(`{${base.replace('"m":true', '"m":1')}}`),
      trade(`{${base},"X":"MARKET"}`),
      trade(`{${base},"X":"INSURANCE_FUND"}`),
      trade(`{${base},"X":7}`),
      trade(`{${base.replace('"e":"trade"', '"e":"aggTrade"')}}`),
      trade(`{${base.replace('"e":"trade",', '')}}`),
      trade(`{${base.replace('"s":"BTCUSDT"', '"s":""')}}`),
      trade(`{${base.replace('"s":"BTCUSDT"', '"s":"币安人生USDT"')}}`),
      trade(`{${base.replace('"s":"BTCUSDT"', '"s":"BTC\\u0055SDT"')}}`),
      trade(`{${base.replace('3735683259', '3735683259.0')}}`),
      trade(`{${base.replace('3735683259', '37356832e2')}}`),
      trade(`{${base.replace('3735683259', '-1')}}`),
      trade(`{${base.replace('3735683259', '0')}}`),
      trade(`{${base.replace('3735683259', '9007199254740993')}}`),
      trade(`{${base.replace('3735683259', '03735683259')}}`),
      trade(`{${base.replace('1723161255342', '9007199254740')}}`),
      trade(`{${base.replace('"61837.63000000"', '"-61837.63"')}}`),
      trade(`{${base.replace('"61837.63000000"', '"0061837.630"')}}`),
      trade(`{${base.replace('"61837.63000000"', '"61837"')}}`),
      trade(`{${base.replace('"61837.63000000"', '"000"')}}`),
      trade(`{${base.replace('"61837.63000000"', '"61837."')}}`),
      trade(`{${base.replace('"61837.63000000"', '"6.1e4"')}}`),
      trade(`{${base.replace('"61837.63000000"', '61837.63')}}`),
      trade(`{${base.replace('"0.00200000"', '"0.00000000"')}}`),
      trade(`{${base.replace('"0.00200000"', '"123456789012345.5"')}}`),
      trade(`{${base.replace('"61837.63000000"', '"99999999.99999999"')}}`),
      trade(`{${base.replace('"t":3735683259', '"t":1,"t":2')}}`),
      trade(`{${base}}`).slice(0, -3),
      `${trade(`{${base}}`)}x`,
      `{"stream":"btcusdt@trade","data":{${base}},"data":{${base}}}`,
      `{"stream":"btcusdt@trade","data":[]}`,
      `{"stream":"btcusdt@trade"}`,
      '',
      'null',
    ];
    for (const text of frames) expectAgree(text, ctx);
    for (const venue of ['BINANCE_COINM', 'BINANCE_USDM'])
      expectAgree(trade(`{${base},"X":"MARKET"}`), { ...ctx, venue });
    expectAgree(trade(`{${base}}`), { ...ctx, stream: 'trade', ingestedAtUs: 1.5 });
  });

  it('computes the exact quote quantity of random prices and quantities', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const digits = (n: number) => Array.from({ length: n }, () => String(rnd(10))).join('');
    const decimal = () => {
      const int = digits(1 + rnd(9));
      return rnd(4) === 0 ? int : `${int}.${digits(1 + rnd(10))}`;
    };
    for (let i = 0; i < 3000; i++) {
      const text = trade(
        `{${base.replace('"61837.63000000"', `"${decimal()}"`).replace('"0.00200000"', `"${decimal()}"`)}}`,
      );
      const want = general(text, ctx);
      const got = bytes(text, ctx);
      expect(got.outcome).toEqual(want.outcome);
      if (!same(got.out, want.out)) expect(text).toBe('a frame whose bytes differ');
    }
  });

  it('bails (does nothing) on frames it does not read, so the general path decides', () => {
    const out: BusRecord[] = [];
    const buf = Buffer.from(trade(`{${base},"extra":{"nested":1}}`));
    expect(normalizeTradeBytes(buf, 0, buf.length, ctx, out)).toBe(TRADE_BAIL);
    expect(out).toHaveLength(0);
  });
});
