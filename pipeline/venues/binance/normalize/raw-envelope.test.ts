import { describe, expect, it } from 'vitest';
import { EnvelopeCodec } from '../../../../proto/index.ts';
import type { BusMessage, BusRecord } from '../../../bus/types.ts';
import { scanFrame, toRawRecord } from '../ingest.ts';
import { createBinanceNormalizer } from '../normalizer.ts';
import { createCaptureBus, readRecording } from '../testing/recordings.ts';
import { createFrameNormalizer } from './frame.ts';
import { createRawEnvelopeReader, type RawEnvelopeView } from './raw-envelope.ts';

const { normalizeFrame } = createFrameNormalizer();

const spot = readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz');
const rawRecords = spot.map((f) => toRawRecord('BINANCE', f, scanFrame(f)));

function newView(): RawEnvelopeView {
  return { venue: '', stream: '', ingestedAtUs: 0, rawStart: 0, rawEnd: 0 };
}

function asMessages(records: readonly BusRecord[]): BusMessage[] {
  return records.map((r, i) => ({ ...r, partition: 0, offset: String(i), timestamp: 0 }));
}

describe('createRawEnvelopeReader', () => {
  it('reads venue, stream, ingested time and the raw bytes in place, as EnvelopeCodec decodes them', () => {
    const read = createRawEnvelopeReader();
    const view = newView();
    const bad: number[] = [];
    rawRecords.forEach((r, i) => {
      const env = EnvelopeCodec.decode(r.value);
      const ok =
        read(r.value, view) &&
        view.venue === env.venue &&
        view.stream === env.stream &&
        view.ingestedAtUs === Number(env.ingestedAtUs) &&
        Buffer.from(r.value.subarray(view.rawStart, view.rawEnd)).equals(Buffer.from(env.raw));
      if (!ok) bad.push(i);
    });
    expect(bad).toEqual([]);
  });

  it('reads envelopes with a payload and a seq, and declines unusual ones', () => {
    const read = createRawEnvelopeReader();
    const view = newView();
    const full = EnvelopeCodec.encode({
      eventId: 'x',
      venue: 'BINANCE',
      stream: 'trade',
      ingestedAtUs: 2 ** 52,
      payload: new Uint8Array([1, 2]),
      raw: Buffer.from('{}'),
      seq: 77,
    });
    expect(read(full, view)).toBe(true);
    expect(view).toMatchObject({ venue: 'BINANCE', stream: 'trade', ingestedAtUs: 2 ** 52 });
    expect(Buffer.from(full.subarray(view.rawStart, view.rawEnd)).toString()).toBe('{}');
    const unknownField = Buffer.concat([full, Buffer.from([120, 1])]);
    expect(read(unknownField, view)).toBe(false);
    expect(read(EnvelopeCodec.encode({ venue: 'BINANCÉ' }), view)).toBe(false);
    expect(read(full.subarray(0, full.length - 3), view)).toBe(false);
    expect(read(EnvelopeCodec.encode({ ingestedAtUs: -1 }), view)).toBe(false);
    expect(read(Buffer.from([48]), view)).toBe(false); // a tag without its varint
    expect(read(Buffer.from([48, 128, 128]), view)).toBe(false); // a varint cut short
    expect(read(Buffer.from([40, 255, 255, 255, 255, 255, 255, 255, 255, 1]), view)).toBe(false); // 2^63
    expect(read(Buffer.from([40, 255, 255, 255, 255, 255, 255, 255, 127]), view)).toBe(false); // 2^56 - 1
    expect(read(Buffer.from([26, 5, 65, 66]), view)).toBe(false); // a length past the end
    expect(read(Buffer.from([48, 255, 255, 255, 255, 255, 255, 255, 15]), view)).toBe(true); // 2^53 - 1
    expect(view.ingestedAtUs).toBe(2 ** 53 - 1);
    expect(read(new Uint8Array(0), view)).toBe(true);
    expect(view).toMatchObject({ venue: '', stream: '', ingestedAtUs: 0, rawStart: 0, rawEnd: 0 });
  });
});

describe('normalizer handleBatch (in-place read)', () => {
  it('gives the same records as decoding each envelope and JSON-parsing its frame', async () => {
    const normalizer = createBinanceNormalizer({ bus: createCaptureBus() }, { venues: ['BINANCE'] });
    const got: BusRecord[] = [];
    const messages = asMessages(rawRecords);
    for (let i = 0; i < messages.length; i += 1000) {
      const batch = messages.slice(i, i + 1000);
      got.push(...(await normalizer.handleBatch({ topic: batch[0]!.topic, partition: 0, messages: batch })));
    }
    const want: BusRecord[] = [];
    for (const r of rawRecords) {
      const env = EnvelopeCodec.decode(r.value);
      const text = Buffer.from(env.raw).toString('utf8');
      normalizeFrame(
        text,
        { venue: env.venue, stream: env.stream, ingestedAtUs: Number(env.ingestedAtUs) },
        want,
      );
    }
    expect(got.length).toBe(want.length);
    const differ = got.findIndex(
      (r, i) => r.key !== want[i]!.key || !Buffer.from(r.value).equals(Buffer.from(want[i]!.value)),
    );
    expect(differ).toBe(-1);
  });

  it('falls back to EnvelopeCodec for envelopes it does not read in place (unknown field)', async () => {
    const bus = createCaptureBus();
    const normalizer = createBinanceNormalizer({ bus }, { venues: ['BINANCE'] });
    const trade = rawRecords.find((r) => r.topic === 'raw.binance.trade')!;
    const odd = { ...trade, value: Buffer.concat([trade.value, Buffer.from([120, 1])]) };
    const [a] = await normalizer.handleBatch({
      topic: trade.topic,
      partition: 0,
      messages: asMessages([trade]),
    });
    const [b] = await normalizer.handleBatch({
      topic: trade.topic,
      partition: 0,
      messages: asMessages([odd]),
    });
    expect(Buffer.from(b!.value).equals(Buffer.from(a!.value))).toBe(true);
    expect(normalizer.stats()).toMatchObject({ frames: 2, produced: 2, deadLettered: 0 });
  });
});
