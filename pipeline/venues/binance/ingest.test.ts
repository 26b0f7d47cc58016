import { describe, expect, it, vi } from 'vitest';
import { EnvelopeCodec, TradeCodec } from '../../../proto/index.ts';
import type { BusBatch, BusMessage, BusRecord } from '../../bus/types.ts';
import type { RawFrame } from '../types.ts';
import { createBinanceIngest, scanFrame } from './ingest.ts';
import { createBinanceNormalizer } from './normalizer.ts';
import { createCaptureBus, readRecording } from './testing/recordings.ts';

const spot = readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz');

function asMessages(records: readonly BusRecord[]): BusMessage[] {
  return records.map((r, i) => ({ ...r, partition: 0, offset: String(i), timestamp: 0 }));
}

function batchOf(records: readonly BusRecord[]): BusBatch {
  return { topic: records[0]?.topic ?? 'raw.binance.trade', partition: 0, messages: asMessages(records) };
}

describe('scanFrame', () => {
  it('reads stream, symbol and E from a combined trade frame without parsing', () => {
    const trade = spot.find((f) => Buffer.from(f.data).includes('@trade'))!;
    expect(scanFrame(trade)).toEqual({
      symbol: 'BTCUSDT',
      stream: 'trade',
      channel: 'trade',
      observedAtUs: 1723161255343_000,
    });
  });

  it('recognises the REST depth snapshot line and spot bookTicker without E', () => {
    const snap = spot.find((f) => Buffer.from(f.data).subarray(0, 20).includes('lastUpdateId'))!;
    expect(scanFrame({ ...snap, symbol: 'BTCUSDT' })).toMatchObject({
      channel: 'depthSnapshot',
      stream: 'depthSnapshot',
      symbol: 'BTCUSDT',
      observedAtUs: 0,
    });
    const bt = spot.find((f) => Buffer.from(f.data).includes('@bookTicker'))!;
    expect(scanFrame(bt)).toMatchObject({ channel: 'bookTicker', observedAtUs: 0 });
  });

  it('classifies garbage and other key orders', () => {
    const frame = (s: string): RawFrame => ({ data: Buffer.from(s), receivedAtUs: 1 });
    expect(scanFrame(frame('{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":5}}'))).toMatchObject({
      channel: 'kline',
      stream: 'kline_1m',
      observedAtUs: 5000,
    });
    expect(scanFrame(frame('{"data":{"E":7},"stream":"ethusdt@aggTrade"}'))).toMatchObject({
      channel: 'aggTrade',
      symbol: 'ETHUSDT',
    });
    expect(scanFrame(frame('{"stream":"btcusdt@trad'))).toMatchObject({ channel: 'unknown', stream: '' });
    expect(scanFrame(frame('{"stream":"!ticker@arr","data":[]}'))).toMatchObject({
      channel: 'ticker',
      symbol: '',
    });
  });
});

describe('createBinanceIngest', () => {
  it('produces every frame of the recording as raw envelopes with the exact bytes, in batches', async () => {
    const bus = createCaptureBus();
    const ingest = createBinanceIngest({ bus }, { venue: 'BINANCE', batchSize: 1000, lingerMs: 5 });
    for (const f of spot) ingest.push({ ...f, symbol: 'BTCUSDT' });
    await ingest.flush();
    expect(bus.produced).toHaveLength(spot.length);
    expect(bus.produceCalls).toBe(Math.ceil(spot.length / 1000));
    const byTopic: Record<string, number> = {};
    for (const r of bus.produced) byTopic[r.topic] = (byTopic[r.topic] ?? 0) + 1;
    expect(byTopic).toEqual({
      'raw.binance.trade': 9757,
      'raw.binance.bookTicker': 28040,
      'raw.binance.depth': 3451 + 1,
    });
    for (let i = 0; i < spot.length; i += 997) {
      const env = EnvelopeCodec.decode(bus.produced[i]!.value);
      expect(Buffer.compare(Buffer.from(env.raw), Buffer.from(spot[i]!.data))).toBe(0);
      expect(env.eventType).toBe('raw');
      expect(env.venue).toBe('BINANCE');
      expect(Number(env.ingestedAtUs)).toBe(spot[i]!.receivedAtUs);
      expect(bus.produced[i]!.key).toBe('BINANCE:BTCUSDT');
    }
    expect(ingest.stats()).toMatchObject({ frames: spot.length, produced: spot.length, pending: 0 });
    await ingest.close();
    expect(() => ingest.push(spot[0]!)).toThrow(/closed/);
  });

  it('keeps records through a failed produce and retries them', async () => {
    const bus = createCaptureBus();
    bus.failNext(2);
    const ingest = createBinanceIngest(
      { bus },
      { venue: 'BINANCE', batchSize: 100, lingerMs: 1, retryDelayMs: 5 },
    );
    for (const f of spot.slice(0, 250)) ingest.push(f);
    await ingest.flush();
    expect(bus.produced).toHaveLength(250);
    expect(ingest.stats().produceErrors).toBe(2);
    const ids = bus.produced.map((r) => EnvelopeCodec.decode(r.value).ingestedAtUs);
    expect(ids).toEqual(spot.slice(0, 250).map((f) => f.receivedAtUs));
  });

  it('keeps order and loses nothing through a long backlog, pushes during produce and failures', async () => {
    const bus = createCaptureBus();
    const produce = bus.produce.bind(bus);
    let calls = 0;
    bus.produce = async (records) => {
      await new Promise((r) => setImmediate(r));
      if (++calls % 7 === 0) throw new Error('broker unavailable (test)');
      await produce(records);
    };
    const ingest = createBinanceIngest(
      { bus },
      { venue: 'BINANCE', batchSize: 700, lingerMs: 1, retryDelayMs: 1 },
    );
    const frames = spot.slice(0, 40_000);
    for (let i = 0; i < frames.length; i += 5000) {
      for (const f of frames.slice(i, i + 5000)) ingest.push(f);
      await new Promise((r) => setImmediate(r));
    }
    await ingest.flush();
    const times = bus.produced.map((r) => Number(EnvelopeCodec.decode(r.value).ingestedAtUs));
    expect(times).toEqual(frames.map((f) => f.receivedAtUs));
    expect(ingest.stats()).toMatchObject({ frames: 40_000, produced: 40_000, pending: 0 });
    expect(ingest.stats().produceErrors).toBeGreaterThan(5);
  });

  it('close throws when the bus still refuses; the records stay pending, not silently dropped', async () => {
    const bus = createCaptureBus();
    const ingest = createBinanceIngest(
      { bus },
      { venue: 'BINANCE', batchSize: 100, lingerMs: 1000, retryDelayMs: 1 },
    );
    ingest.push(spot[0]!);
    bus.failNext(5);
    await expect(ingest.close()).rejects.toThrow(/broker unavailable/);
    expect(ingest.stats().pending).toBe(1);
  });

  it('flushes a partial batch after the linger time, not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const bus = createCaptureBus();
      const ingest = createBinanceIngest({ bus }, { venue: 'BINANCE', batchSize: 1000, lingerMs: 200 });
      ingest.push(spot[0]!);
      ingest.push(spot[1]!);
      await vi.advanceTimersByTimeAsync(199);
      expect(bus.produced).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(bus.produced).toHaveLength(2);
      expect(ingest.stats()).toMatchObject({ produced: 2, pending: 0 });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('ingest -> normalizer', () => {
  it('normalizes the raw topics of a recording and dead-letters poison frames with reasons', async () => {
    const bus = createCaptureBus();
    const ingest = createBinanceIngest({ bus }, { venue: 'BINANCE', batchSize: 5000, lingerMs: 1 });
    for (const f of spot) ingest.push(f);
    const bad = [
      '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":37',
      '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":1,"p":61837.63,"q":"1","T":1,"m":true}}',
      '{"stream":"btcusdt@markPrice","data":{}}',
      'not json at all',
    ];
    for (const s of bad) ingest.push({ data: Buffer.from(s), receivedAtUs: 1 });
    await ingest.close();

    const normalizer = createBinanceNormalizer({ bus }, { venues: ['BINANCE'] });
    const out = await normalizer.handleBatch(batchOf(bus.produced));
    const byTopic: Record<string, number> = {};
    for (const r of out) byTopic[r.topic] = (byTopic[r.topic] ?? 0) + 1;
    expect(byTopic).toEqual({ 'norm.trade': 9757, 'norm.book_top': 28040 });
    const first = EnvelopeCodec.decode(out.find((r) => r.topic === 'norm.trade')!.value);
    expect(TradeCodec.decode(first.payload).tradeId).toBe('3735683259');

    expect(bus.deadLettered.map((d) => d.reason.code)).toEqual([
      'malformed_json',
      'schema',
      'unknown_stream',
      'unknown_stream',
    ]);
    expect(bus.deadLettered[1]!.reason.message).toMatch(/p: .*string/);
    expect(bus.deadLettered[0]!.reason.source).toBe('normalize.binance');
    expect(normalizer.stats()).toMatchObject({
      frames: spot.length + 4,
      produced: 9757 + 28040,
      notNormalized: 3452,
      deadLettered: 4,
      deadLetteredByCode: { malformed_json: 1, schema: 1, unknown_stream: 2 },
    });
  });

  it('dead-letters bytes that are not an Envelope', async () => {
    const bus = createCaptureBus();
    const normalizer = createBinanceNormalizer({ bus }, { venues: ['BINANCE'] });
    const out = await normalizer.handleBatch(
      batchOf([{ topic: 'raw.binance.trade', key: null, value: new Uint8Array([0xff, 0xff, 0xff]) }]),
    );
    expect(out).toHaveLength(0);
    expect(bus.deadLettered[0]!.reason.code).toBe('bad_envelope');
  });
});
