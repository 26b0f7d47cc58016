import { describe, expect, it } from 'vitest';
import type { BusRecord } from '../../bus/types.ts';
import type { RawFrame } from '../types.ts';
import { createBinanceIngest, scanFrame, toRawRecord } from './ingest.ts';
import { createRawRecorder } from './raw-record.ts';
import { createCaptureBus, readRecording } from './testing/recordings.ts';

const recordings: [string, RawFrame[]][] = [
  ['BINANCE', readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz')],
  ['BINANCE_USDM', readRecording('binance-ws-recorded', 'usdm', 'btcusdt_20240808.gz')],
  ['BINANCE_COINM', readRecording('binance-ws-recorded', 'cm', 'btcusd_perp_20240808.gz')],
];

function expectSameRecord(got: BusRecord | undefined, want: BusRecord): void {
  expect(got).toBeDefined();
  expect(got!.topic).toBe(want.topic);
  expect(got!.key).toBe(want.key);
  expect(Buffer.from(got!.value).equals(Buffer.from(want.value))).toBe(true);
}

function frame(text: string, receivedAtUs = 1_723_161_254_123_456): RawFrame {
  return { data: Buffer.from(text, 'utf8'), receivedAtUs };
}

describe('createRawRecorder', () => {
  it('writes the same bytes as toRawRecord (EnvelopeCodec) for every recorded frame', () => {
    for (const [venue, frames] of recordings) {
      const upper = new Map<string, string>();
      const recorder = createRawRecorder(venue, upper);
      let fast = 0;
      const mismatches: number[] = [];
      frames.forEach((f, i) => {
        const entry = recorder.entryOf(i % 2 === 0 ? f.data : new Uint8Array(f.data));
        if (entry === undefined) return;
        const info = scanFrame(f, upper);
        const got = recorder.record(f, entry, info.observedAtUs);
        const want = toRawRecord(venue, f, info);
        const same =
          got !== undefined &&
          entry.channel === info.channel &&
          got.topic === want.topic &&
          got.key === want.key &&
          Buffer.from(got.value).equals(Buffer.from(want.value));
        if (!same) mismatches.push(i);
        fast++;
      });
      expect(mismatches).toEqual([]);
      // Every recorded frame but the REST depth snapshot lines is a combined-stream frame.
      expect(fast).toBeGreaterThan(frames.length * 0.9);
    }
  });

  it('agrees on odd stream names: all-market, non-ASCII symbol, a name longer than 127 bytes', () => {
    const recorder = createRawRecorder('BINANCE', new Map());
    for (const text of [
      '{"stream":"!ticker@arr","data":[]}',
      '{"stream":"币安人生usdt@trade","data":{"E":1723161255343}}',
      `{"stream":"btcusdt@${'x'.repeat(200)}","data":{"T":1723161255343}}`,
      '{"stream":"nosymbol","data":{}}',
    ]) {
      const f = frame(text);
      const entry = recorder.entryOf(Buffer.from(f.data));
      const info = scanFrame(f, new Map());
      expectSameRecord(recorder.record(f, entry!, info.observedAtUs), toRawRecord('BINANCE', f, info));
    }
  });

  it('agrees for receive times of every length, and as the cached 16-digit head changes', () => {
    const recorder = createRawRecorder('BINANCE', new Map());
    const times = [
      0,
      7,
      123_456,
      999_999_999_999_999,
      1e15,
      1e15 + 1,
      1_723_161_299_999_999,
      1_723_161_300_000_000,
      1_723_161_299_999_998,
      1_723_161_255_343_000,
      9_007_199_254_740_990,
      2 ** 53 - 1,
    ];
    const texts = [
      '{"stream":"btcusdt@trade","data":{"E":1723161255343}}',
      '{"stream":"ethusdt@trade","data":{}}',
    ];
    for (const receivedAtUs of times)
      for (const text of texts) {
        const f = frame(text, receivedAtUs);
        const info = scanFrame(f, new Map());
        const got = recorder.record(f, recorder.entryOf(f.data)!, info.observedAtUs);
        expectSameRecord(got, toRawRecord('BINANCE', f, info));
      }
  });

  it('declines frames it does not cover, leaving them to the general path', () => {
    const recorder = createRawRecorder('BINANCE', new Map());
    expect(recorder.entryOf(Buffer.from('{"lastUpdateId":1,"bids":[]}'))).toBeUndefined();
    expect(recorder.entryOf(Buffer.from('{"stream":""}'))).toBeUndefined();
    expect(recorder.entryOf(Buffer.from('{"stream":"btcusdt@trade'))).toBeUndefined();
    // With a last stream cached: its name cut short, extended or unterminated is not that stream.
    const trade = recorder.entryOf(Buffer.from('{"stream":"btcusdt@trade","data":{}}'))!;
    expect(trade.stream).toBe('trade');
    expect(recorder.entryOf(Buffer.from('{"stream":"btcusdt@trade'))).toBeUndefined();
    expect(recorder.entryOf(Buffer.from('{"stream":"btcusdt@trade"'))).toBe(trade);
    expect(recorder.entryOf(Buffer.from('{"stream":"btcusdt@trades","data":{}}'))?.stream).toBe('trades');
    expect(recorder.entryOf(Buffer.from('{"stream":"btcusdt@trad","data":{}}'))?.stream).toBe('trad');
    const f = frame('{"stream":"btcusdt@trade","data":{}}', 1.5);
    expect(recorder.record(f, recorder.entryOf(Buffer.from(f.data))!, 0)).toBeUndefined();
  });
});

describe('createBinanceIngest fast and general paths', () => {
  it('produces the same records as toRawRecord for recordings and odd or garbage frames', async () => {
    for (const [venue, recorded] of recordings) {
      const frames = [
        ...recorded,
        frame('not json at all'),
        frame('{"lastUpdateId":5,"bids":[],"asks":[]}'),
        frame('{"stream":"btcusdt@trade","data":{"E":1}}', 12.25),
        frame('{"data":{},"stream":"ethusdt@aggTrade"}'),
        frame('{"stream":"E":17,"data":{"E":42}}'),
        frame('{"stream":"abc"E":17,"data":{"E":42}}'),
        frame('{"stream":"E"E":17,"data":{"E":42}}'),
        frame('{"stream":"btcusdt@trade","data":{"E":"x","T":5,"E":7}}'),
        frame(`{"stream":"btcusdt@depth","data":{"pad":"${'z'.repeat(300)}","E":99,"T":3}}`),
        frame('{"stream":"btcusdt@bookTicker","data":{"u":1}}'),
        frame('{"stream":"btcusdt@trade","data":{"E":12345678901234567}}'),
        // Not Buffers (as bench/pipeline/e2e.ts builds frames with TextEncoder).
        { data: new TextEncoder().encode('{"stream":"btcusdt@trade","data":{"E":5}}'), receivedAtUs: 9 },
        {
          data: new TextEncoder().encode(`{"stream":"x@depth","data":{"p":"${'y'.repeat(200)}","T":8}}`),
          receivedAtUs: 9,
        },
      ];
      const bus = createCaptureBus();
      const ingest = createBinanceIngest({ bus }, { venue, batchSize: 5000, lingerMs: 5 });
      for (const f of frames) ingest.push(f);
      await ingest.close();
      expect(bus.produced).toHaveLength(frames.length);
      const upper = new Map<string, string>();
      const differ = frames.findIndex((f, i) => {
        const want = toRawRecord(venue, f, scanFrame(f, upper));
        const got = bus.produced[i]!;
        return (
          got.topic !== want.topic ||
          got.key !== want.key ||
          !Buffer.from(got.value).equals(Buffer.from(want.value))
        );
      });
      expect(differ).toBe(-1);
    }
  });
});
