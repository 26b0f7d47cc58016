import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BarCodec,
  BookTopCodec,
  type Envelope,
  EnvelopeCodec,
  Side,
  TickerCodec,
  TradeCodec,
} from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { scanFrame } from '../ingest.ts';
import {
  readCryptofeedCapture,
  readCryptoMsgParserSamples,
  readRecording,
  sharedData,
} from '../testing/recordings.ts';
import { createFrameNormalizer } from './frame.ts';

const { normalizeFrame } = createFrameNormalizer();

const INGESTED = 1_723_161_254_000_000;

function run(venue: string, stream: string, raw: string) {
  const out: BusRecord[] = [];
  const outcome = normalizeFrame(raw, { venue, stream, ingestedAtUs: INGESTED }, out);
  return { outcome, out, envelopes: out.map((r) => EnvelopeCodec.decode(r.value)) };
}

function sample(kind: string, market: string, streamIncludes: string): string {
  const found = readCryptoMsgParserSamples().find(
    (s) =>
      s.kind === kind &&
      s.market === market &&
      (s.message as { stream: string }).stream.includes(streamIncludes),
  );
  if (!found) throw new Error(`no sample ${kind}/${market}/${streamIncludes}`);
  return JSON.stringify(found.message);
}

function first(envelopes: Envelope[]): Envelope {
  expect(envelopes.length).toBeGreaterThan(0);
  return envelopes[0]!;
}

describe('trade (spot, nautilus ws_spot_trade)', () => {
  it('normalizes to a trade envelope with exact decimals and µs times', () => {
    const raw = readFileSync(sharedData('ws-messages', 'binance-spot-trade-ETHUSDT-nautilus.json'), 'utf8');
    const { outcome, out, envelopes } = run('BINANCE', 'trade', raw);
    expect(outcome).toEqual({ kind: 'normalized', count: 1 });
    expect(out[0]!.topic).toBe('norm.trade');
    expect(out[0]!.key).toBe('BINANCE:ETHUSDT');
    const env = first(envelopes);
    expect(env.eventId).toBe('BINANCE:ETHUSDT:trade:705291099');
    expect(env.eventType).toBe('trade');
    expect(env.symbol).toBe('ETHUSDT');
    expect(Number(env.observedAtUs)).toBe(1639351062244_000);
    expect(Number(env.ingestedAtUs)).toBe(INGESTED);
    expect(env.stream).toBe('trade');
    const t = TradeCodec.decode(env.payload);
    expect(t.tradeId).toBe('705291099');
    expect(t.price).toBe('4149.74');
    expect(t.quantity).toBe('0.4387');
    expect(t.quoteQuantity).toBe('1820.490938');
    expect(t.aggressor).toBe(Side.SIDE_SELL); // m=true: buyer was maker, seller aggressed
    expect(Number(t.timeUs)).toBe(1639351062243_000);
    expect(t.bestMatch).toBe(true);
    expect(t.tradeCount).toBe(1);
  });

  it('normalizes a USD-M trade (X instead of M) with m=false as a buy', () => {
    const frame = readRecording('binance-ws-recorded', 'usdm', 'btcusdt_20240808.gz').find((f) =>
      Buffer.from(f.data).includes('"e":"trade"'),
    )!;
    const { envelopes } = run('BINANCE_USDM', 'trade', Buffer.from(frame.data).toString());
    const env = first(envelopes);
    expect(env.eventId).toBe('BINANCE_USDM:BTCUSDT:trade:5266583935');
    const t = TradeCodec.decode(env.payload);
    expect(t.price).toBe('61800.3');
    expect(t.quantity).toBe('0.006');
    expect(t.aggressor).toBe(Side.SIDE_BUY);
    expect(t.bestMatch).toBe(false);
  });
});

describe('aggTrade', () => {
  it('keeps first/last trade ids and counts the trades (spot sample)', () => {
    const { envelopes } = run('BINANCE', 'aggTrade', sample('trade', 'spot', 'aggTrade'));
    const env = first(envelopes);
    expect(env.eventType).toBe('agg_trade');
    expect(env.eventId).toBe('BINANCE:BTCUSDT:agg_trade:640283266');
    const t = TradeCodec.decode(env.payload);
    expect([t.firstTradeId, t.lastTradeId, t.tradeCount]).toEqual(['716849523', '716849523', 1]);
    expect(t.price).toBe('58942.01');
    expect(t.aggressor).toBe(Side.SIDE_BUY);
  });

  it('normalizes every aggTrade of the futures capture', () => {
    const lines = readCryptofeedCapture('cryptofeed-BINANCE_FUTURES.ws.1.0.txt').filter((l) =>
      l.includes('"e":"aggTrade"'),
    );
    expect(lines).toHaveLength(91);
    for (const line of lines) {
      const { outcome, envelopes } = run('BINANCE_USDM', 'aggTrade', line);
      expect(outcome.kind).toBe('normalized');
      const data = (JSON.parse(line) as { data: { f: number; l: number } }).data;
      expect(TradeCodec.decode(first(envelopes).payload).tradeCount).toBe(data.l - data.f + 1);
    }
  });
});

describe('kline', () => {
  it('maps a forming spot kline to a Bar with exclusive close and maker volume', () => {
    const { out, envelopes } = run('BINANCE', 'kline_1m', sample('candlestick', 'spot', 'kline_1m'));
    expect(out[0]!.topic).toBe('norm.kline');
    const env = first(envelopes);
    expect(env.eventType).toBe('bar');
    expect(env.eventId).toBe('BINANCE:BTCUSDT:bar:1m:1653818760000:1653818762502');
    const bar = BarCodec.decode(env.payload);
    expect(bar.period).toBe('1m');
    expect(Number(bar.openTimeUs)).toBe(1653818760000_000);
    expect(Number(bar.closeTimeUs)).toBe(1653818820000_000);
    expect([bar.open, bar.high, bar.low, bar.close]).toEqual([
      '29038.46',
      '29038.47',
      '29038.46',
      '29038.47',
    ]);
    expect(bar.volume).toBe('0.20926');
    expect(bar.takerBuyVolume).toBe('0.10436');
    expect(bar.makerVolume).toBe('0.1049');
    expect(Number(bar.tradeCount)).toBe(31);
    expect(bar.final).toBe(false);
  });

  it('marks x=true klines final (futures capture)', () => {
    const line = readCryptofeedCapture('cryptofeed-BINANCE_FUTURES.ws.1.0.txt').find((l) =>
      l.includes('"x":true'),
    )!;
    const bar = BarCodec.decode(first(run('BINANCE_USDM', 'kline_1m', line).envelopes).payload);
    expect(bar.final).toBe(true);
    expect(bar.makerVolume).toBe('1105');
  });
});

describe('bookTicker', () => {
  it('spot (no e/E): update id kept, times unknown (0), never local time', () => {
    const { out, envelopes } = run('BINANCE', '!bookTicker', sample('bbo', 'spot', 'bookTicker'));
    expect(out[0]!.topic).toBe('norm.book_top');
    const env = first(envelopes);
    expect(env.eventId).toBe('BINANCE:BTCUSDT:book_top:19575390521');
    expect(Number(env.observedAtUs)).toBe(0);
    const top = BookTopCodec.decode(env.payload);
    expect([top.bidPrice, top.bidQuantity, top.askPrice, top.askQuantity]).toEqual([
      '29010.9',
      '13.94302',
      '29010.91',
      '3.99953',
    ]);
    expect(Number(top.updateId)).toBe(19575390521);
  });

  it('futures (with E and T)', () => {
    const env = first(
      run('BINANCE_USDM', 'bookTicker', sample('bbo', 'linear_swap', 'bookTicker')).envelopes,
    );
    expect(Number(env.observedAtUs)).toBe(1653817855289_000);
    expect(Number(BookTopCodec.decode(env.payload).timeUs)).toBe(1653817855284_000);
  });
});

describe('24hrTicker', () => {
  it('single spot ticker', () => {
    const env = first(run('BINANCE', 'ticker', sample('ticker', 'spot', 'ethusdt@ticker')).envelopes);
    expect(env.eventId).toBe('BINANCE:ETHUSDT:ticker:1653812650349');
    const t = TickerCodec.decode(env.payload);
    expect(t.lastPrice).toBe('1792.84');
    expect(t.priceChangePercent).toBe('1.6');
    expect(t.bidPrice).toBe('1792.83');
    expect(Number(t.tradeCount)).toBe(552479);
  });

  it('!ticker@arr gives one envelope per element; futures have no bid/ask', () => {
    const { envelopes } = run('BINANCE_USDM', '!ticker@arr', sample('ticker', 'linear_swap', '!ticker@arr'));
    expect(envelopes).toHaveLength(1);
    const env = first(envelopes);
    expect(env.symbol).toBe('IOTXUSDT');
    const t = TickerCodec.decode(env.payload);
    expect(t.lastPrice).toBe('0.03529');
    expect(t.bidPrice).toBe('');
  });
});

describe('bad frames', () => {
  it('truncated JSON -> malformed_json with a reason', () => {
    const { outcome, out } = run('BINANCE', 'trade', '{"stream":"btcusdt@trade","data":{"e":"trade","E":17');
    expect(out).toHaveLength(0);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind === 'failed') {
      expect(outcome.failure.code).toBe('malformed_json');
      expect(outcome.failure.message).toMatch(/JSON/);
    }
  });

  it('wrong field type -> schema failure naming the field', () => {
    const raw =
      '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":"3735683259","p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}}';
    const { outcome } = run('BINANCE', 'trade', raw);
    expect(outcome).toMatchObject({ kind: 'failed', failure: { code: 'schema' } });
    if (outcome.kind === 'failed') expect(outcome.failure.message).toMatch(/^trade: t: .*number/);
  });

  it('a price that is not a decimal -> invalid_price, naming the field', () => {
    const raw =
      '{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"6e4","q":"1","T":1,"m":true}}';
    expect(run('BINANCE', 'trade', raw).outcome).toMatchObject({
      kind: 'failed',
      failure: {
        code: 'invalid_price',
        message: expect.stringContaining('price: "6e4" is not a plain decimal'),
      },
    });
  });

  it.each([
    ['p', '-61837.63', 'invalid_price', 'is negative'],
    ['p', '0.00000000', 'invalid_price', 'is zero'],
    ['p', `1${'0'.repeat(399)}`, 'invalid_price', 'has 400 integer and 0 fractional digits'],
    ['q', '-0.5', 'invalid_quantity', 'is negative'],
    ['q', '0.0', 'invalid_quantity', 'is zero'],
    ['q', `0.${'0'.repeat(60)}1`, 'invalid_quantity', 'has 1 integer and 61 fractional digits'],
    ['q', '0.000000000000000001', 'invalid_quote_quantity', 'has 1 integer and 20 fractional digits'],
  ])('%s = %s -> %s, on the byte path and the parsed path alike', (field, value, code, why) => {
    const data = { e: 'trade', E: 1, s: 'BTCUSDT', t: 1, p: '61837.63', q: '1', T: 1, m: true, M: true };
    const raw = JSON.stringify({ stream: 'btcusdt@trade', data: { ...data, [field]: value } });
    for (const frame of [raw, Buffer.from(raw)]) {
      const out: BusRecord[] = [];
      const outcome = normalizeFrame(frame, { venue: 'BINANCE', stream: 'trade', ingestedAtUs: 1 }, out);
      expect(outcome).toMatchObject({
        kind: 'failed',
        failure: { code, message: expect.stringContaining(why) },
      });
      expect(out).toHaveLength(0);
    }
  });

  it('unknown stream -> unknown_stream; depth -> kept raw, not normalized', () => {
    expect(run('BINANCE', 'markPrice@1s', '{}').outcome).toMatchObject({
      kind: 'failed',
      failure: { code: 'unknown_stream' },
    });
    expect(run('BINANCE', 'depth@100ms', '{').outcome).toEqual({ kind: 'not_normalized' });
  });
});

describe('the spot BTCUSDT recording (19,904 trades)', () => {
  const frames = [
    ...readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
    ...readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240809.gz'),
  ];

  function normalizeAll() {
    const out: BusRecord[] = [];
    const outcomes: Record<string, number> = {};
    const upper = new Map<string, string>();
    for (const f of frames) {
      const info = scanFrame(f, upper);
      const o = normalizeFrame(
        f.data,
        { venue: 'BINANCE', stream: info.stream, ingestedAtUs: f.receivedAtUs },
        out,
      );
      const k = o.kind === 'failed' ? `failed:${o.failure.code}` : o.kind;
      outcomes[k] = (outcomes[k] ?? 0) + 1;
    }
    return { out, outcomes };
  }

  it('normalizes every trade: contiguous ids, venue time, equal to the derived CSV', () => {
    const { out, outcomes } = normalizeAll();
    // depthUpdate 3451+3044 and the one REST snapshot stay raw; nothing fails.
    expect(outcomes).toEqual({ normalized: 9757 + 10147 + 28040 + 45134, not_normalized: 3451 + 3044 + 1 });
    const trades = out.filter((r) => r.topic === 'norm.trade').map((r) => EnvelopeCodec.decode(r.value));
    expect(trades).toHaveLength(19_904);
    const csv = gunzipSync(
      readFileSync(sharedData('trades', 'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz')),
    )
      .toString()
      .trim()
      .split('\n');
    let prevId = 3735683258;
    for (let i = 0; i < trades.length; i++) {
      const env = trades[i]!;
      const t = TradeCodec.decode(env.payload);
      expect(Number(t.tradeId)).toBe(prevId + 1);
      prevId = Number(t.tradeId);
      // id, price, qty, quoteQty, time, isBuyerMaker, isBestMatch
      const [id, price, qty, quote, time, buyerMaker, best] = csv[i]!.split(',');
      expect(t.tradeId).toBe(id);
      expect(t.price).toBe(price!.replace(/\.?0+$/, ''));
      expect(t.quantity).toBe(qty!.replace(/\.?0+$/, ''));
      expect(t.quoteQuantity).toBe(quote);
      expect(Number(t.timeUs)).toBe(Number(time) * 1000);
      expect(t.aggressor).toBe(buyerMaker === 'True' ? Side.SIDE_SELL : Side.SIDE_BUY);
      expect(t.bestMatch).toBe(best === 'True');
      // observed_at is venue E (recorder clock ran ~1.27 s behind), never receive time.
      expect(Number(env.observedAtUs)).toBeGreaterThan(Number(env.ingestedAtUs) + 1_000_000);
    }
    expect(prevId).toBe(3735703162);
  });

  it('writes canonical envelopes: bytes equal EnvelopeCodec.encode of their decoded values', () => {
    const { out } = normalizeAll();
    for (const topic of ['norm.trade', 'norm.book_top']) {
      const r = out.find((x) => x.topic === topic)!;
      const again = EnvelopeCodec.encode(EnvelopeCodec.decode(r.value));
      expect(Buffer.compare(Buffer.from(again), Buffer.from(r.value))).toBe(0);
    }
  });

  it('is deterministic: normalizing twice gives identical bytes', () => {
    const a = normalizeAll().out;
    const b = normalizeAll().out;
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) {
      expect(Buffer.compare(Buffer.from(a[i]!.value), Buffer.from(b[i]!.value))).toBe(0);
    }
    const ids = a.filter((r) => r.topic === 'norm.trade').map((r) => EnvelopeCodec.decode(r.value).eventId);
    expect(new Set(ids).size).toBe(19_904);
    expect(ids[0]).toBe('BINANCE:BTCUSDT:trade:3735683259');
  });
});
