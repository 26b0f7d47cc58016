import { describe, expect, it } from 'vitest';
import type { BusRecord } from '../../../bus/types.ts';
import type { RawFrame } from '../../types.ts';
import { scanFrame } from '../ingest.ts';
import { readRecording } from '../testing/recordings.ts';
import { DecimalRange } from './decimal-bytes.ts';
import { createFrameNormalizer } from './frame.ts';
import { createCompactTradeScanner } from './trade-compact.ts';
import { scanTradeFrame, TradeFrameScan } from './trade-scan.ts';

const { normalizeFrame } = createFrameNormalizer();
const scanCompactTrade = createCompactTradeScanner();

let seed = 99;
function rnd(n: number): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed % n;
}

function decimalOf(d: DecimalRange) {
  return { start: d.start, end: d.end, digits: d.digits, scale: d.scale, value: d.value };
}

/** What the compact scanner read, or null when it declined. */
function compact(buf: Buffer) {
  const f = new TradeFrameScan();
  const price = new DecimalRange();
  const quantity = new DecimalRange();
  if (!scanCompactTrade(f, price, quantity, buf, 0, buf.length)) return null;
  return { fields: { ...f }, price: decimalOf(price), quantity: decimalOf(quantity) };
}

/** What the general scanner and DecimalRange.read make of the same frame. */
function general(buf: Buffer) {
  const f = new TradeFrameScan();
  if (!scanTradeFrame(f, buf, 0, buf.length)) return null;
  const price = new DecimalRange();
  const quantity = new DecimalRange();
  const priceOk = f.pS >= 0 && price.read(buf, f.pS, f.pE);
  const quantityOk = f.qS >= 0 && quantity.read(buf, f.qS, f.qE);
  return { fields: { ...f }, price: decimalOf(price), quantity: decimalOf(quantity), priceOk, quantityOk };
}

/** The compact scanner may decline anything; what it accepts, the general one reads the same. */
function expectSubset(buf: Buffer): boolean {
  const got = compact(buf);
  if (got === null) return false;
  const want = general(buf);
  const expected = want && {
    fields: want.fields,
    price: got.fields.pS >= 0 && want.priceOk ? want.price : got.price,
    quantity: got.fields.qS >= 0 && want.quantityOk ? want.quantity : got.quantity,
  };
  const same =
    want !== null &&
    (got.fields.pS < 0 || want.priceOk) &&
    (got.fields.qS < 0 || want.quantityOk) &&
    JSON.stringify(got) === JSON.stringify(expected);
  // expect() only on a difference: it is slow, and this runs on every recorded trade.
  if (!same) expect({ frame: buf.toString(), ...got }).toEqual({ frame: buf.toString(), ...want });
  return true;
}

/** The bytes path (compact or general scan) and JSON.parse (a string frame) make the same records. */
function expectSameRecords(text: string): void {
  const ctx = { venue: 'BINANCE', stream: 'trade', ingestedAtUs: 1_723_161_255_343_123 };
  const fast: BusRecord[] = [];
  const slow: BusRecord[] = [];
  const a = normalizeFrame(Buffer.from(text, 'utf8'), ctx, fast);
  const b = normalizeFrame(text, ctx, slow);
  expect(a, text).toEqual(b);
  expect(fast.length, text).toBe(slow.length);
  fast.forEach((r, j) => {
    expect(r.key).toBe(slow[j]!.key);
    expect(Buffer.from(r.value).equals(Buffer.from(slow[j]!.value)), text).toBe(true);
  });
}

const base =
  '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,' +
  '"p":"61837.63000000","q":"0.00200000","b":29083445226,"a":29083445224,"T":1723161255342,"m":false,"M":true}}';

describe('DecimalRange.scan', () => {
  it('reads what read() reads, up to the closing quote, on random decimal-like strings', () => {
    const alphabet = '0000123456789...e-+ ';
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: 1 + rnd(22) }, () => alphabet[rnd(alphabet.length)]).join('');
      const buf = Buffer.from(`${text}"`, 'latin1');
      const a = new DecimalRange();
      const b = new DecimalRange();
      const ok = a.read(buf, 0, text.length);
      const close = b.scan(buf, 0, buf.length);
      expect(close, text).toBe(ok ? text.length : -1);
      if (ok) expect(decimalOf(b), text).toEqual(decimalOf(a));
    }
  });

  it('declines a decimal with no closing quote', () => {
    const buf = Buffer.from('61837.63');
    expect(new DecimalRange().scan(buf, 0, buf.length)).toBe(-1);
  });
});

describe('scanCompactTrade', () => {
  it('reads every recorded trade frame (spot, USD-M, COIN-M) as the general scanner does', () => {
    const sets: RawFrame[][] = [
      readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
      readRecording('binance-ws-recorded', 'usdm', 'btcusdt_20240808.gz'),
      readRecording('binance-ws-recorded', 'cm', 'btcusd_perp_20240808.gz'),
    ];
    for (const frames of sets) {
      let trades = 0;
      let read = 0;
      for (const f of frames) {
        if (scanFrame(f).channel !== 'trade') continue;
        trades++;
        if (expectSubset(Buffer.from(f.data))) read++;
      }
      expect(trades).toBeGreaterThan(1000);
      expect(read).toBe(trades);
    }
  });

  it('reads compact frames with other values of unknown keys, without them, or with X', () => {
    for (const text of [
      base.replace('"b":29083445226', '"b":-5'),
      base.replace('"b":29083445226', '"b":null'),
      base.replace('"b":29083445226', '"b":"x"'),
      base.replace('"b":29083445226', '"b":true'),
      base.replace('"b":29083445226', '"b":0'),
      base.replace('"b":29083445226', '"b":-1.5e3'),
      base.replace(',"b":29083445226,"a":29083445224', ''),
      base.replace('"m":false', '"m":true,"X":"MARKET"'),
      base.replace('"s":"BTCUSDT"', '"s":"币安人生USDT"'),
    ]) {
      expect(expectSubset(Buffer.from(text)), text).toBe(true);
      expectSameRecords(text);
    }
  });

  it('declines other forms, leaving them to the general scanner', () => {
    for (const text of [
      base.replace('{"stream"', '{ "stream"'),
      base.replace(',"p"', ', "p"'),
      base.replace('"t":3735683259', '"t":3735683259 '),
      base.replace('{"stream":"btcusdt@trade",', '{').replace('}}', '},"stream":"btcusdt@trade"}'),
      base.replace('"b":29083445226', '"bb":29083445226'),
      base.replace('"b":29083445226', '"b":{"x":1}'),
      base.replace('"b":29083445226', '"b":1.5'),
      base.replace('"b":29083445226', '"b":012'),
      base.replace('"t":3735683259', '"t":3735683259.0'),
      base.replace('"t":3735683259', '"t":03735683259'),
      base.replace('"t":3735683259', '"t":12345678901234567'),
      base.replace('"E":1723161255343', '"E":-1723161255343'),
      base.replace('"61837.63000000"', '"6.1e4"'),
      base.replace('"61837.63000000"', '61837.63'),
      base.replace('"BTCUSDT"', '"BTC\\u0055SDT"'),
      base.replace('"m":false', '"m":fals'),
      base.replace('"m":false', '"m":null'),
      base.replace('"M":true', '"M":true,"M":true'),
      base.replace('"e":"trade"', '"e":"trade","e":"trade"'),
      base.replace('"q":"0.00200000"', '"q":"0.002","q":"0.002"'),
      base.replace('"b":29083445226', '"\\u0062":29083445226'),
      `${base} `,
      base.slice(0, -1),
      base.replace('"data":{', '"data":{}').slice(0, 40),
      '{"stream":"btcusdt@trade","data":{}}',
    ]) {
      expect(compact(Buffer.from(text)), text).toBeNull();
      expectSameRecords(text);
    }
  });

  it('never reads a mutated frame differently from the general scanner, nor changes the bytes made', () => {
    const noise = '{}[]",:.-+0159eEtfnaslruXMmpqT \\\u00e9';
    let accepted = 0;
    for (let i = 0; i < 6000; i++) {
      let text = base;
      for (let k = 1 + rnd(3); k > 0; k--) {
        const at = rnd(text.length + 1);
        const c = noise[rnd(noise.length)]!;
        const op = rnd(3);
        text =
          op === 0
            ? text.slice(0, at) + c + text.slice(at)
            : op === 1
              ? text.slice(0, at) + text.slice(at + 1)
              : text.slice(0, at) + c + text.slice(at + 1);
      }
      if (expectSubset(Buffer.from(text, 'utf8'))) accepted++;
      expectSameRecords(text);
    }
    // Some mutations leave a frame the compact scanner still reads (a changed digit, say).
    expect(accepted).toBeGreaterThan(100);
  });
});
