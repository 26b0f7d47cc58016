import type { KafkaMessage, Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { RecordPackCodec } from '../../../proto/index.ts';
import type { BusRecord } from '../types.ts';
import { createBatchUnpacker, packRecords } from './packing.ts';
import { createRecordPackReader, encodeRecordPack, PACK_HEADER } from './record-pack.ts';

const record = (key: string, i: number): BusRecord => ({
  topic: 'norm.trade',
  key,
  value: new TextEncoder().encode(`v${i}`),
});
const sizes = (chunks: ReturnType<typeof packRecords>) =>
  chunks.map((c) => c.reduce((n, t) => n + t.messages.length, 0));

describe('packRecords, packing off', () => {
  it('caps the records of one key per request, keeping their order', () => {
    const records = Array.from({ length: 2500 }, (_, i) => record('BINANCE:BTCUSDT', i));
    const chunks = packRecords(records, { maxRequestBytes: 900_000, maxPerKey: 1000, maxPackBytes: 0 });
    expect(sizes(chunks)).toEqual([1000, 1000, 500]);
    const values = chunks.flatMap((c) => c.flatMap((t) => t.messages.map((m) => String(m.value))));
    expect(values).toEqual(records.map((_, i) => `v${i}`));
  });

  it('does not split requests whose keys are each under the cap', () => {
    const records = Array.from({ length: 3000 }, (_, i) => record(`k${i % 4}`, i));
    expect(
      sizes(packRecords(records, { maxRequestBytes: 900_000, maxPerKey: 1000, maxPackBytes: 0 })),
    ).toEqual([3000]);
  });

  it('still splits by bytes', () => {
    const records = Array.from({ length: 100 }, (_, i) => record(`k${i}`, i));
    // ~80 bytes per record with the overhead: 10 per 800-byte request.
    expect(
      sizes(packRecords(records, { maxRequestBytes: 800, maxPerKey: 1000, maxPackBytes: 0 })).length,
    ).toBeGreaterThan(5);
  });
});

/** What a consumer fetches back for the produced messages of one topic (offsets in order). */
function fetched(messages: readonly Message[]): KafkaMessage[] {
  return messages.map((m, i) => ({
    key: m.key === null || m.key === undefined ? null : Buffer.from(m.key),
    value: m.value === null || m.value === undefined ? null : Buffer.from(m.value),
    headers: m.headers ?? {},
    offset: String(100 + i),
    timestamp: '1700000000000',
    attributes: 0,
  }));
}

const text = (v: Uint8Array) => new TextDecoder().decode(v);
const unpackBatch = createBatchUnpacker();
const packs = createRecordPackReader();

describe('record packs (batching on the wire)', () => {
  it('packs one key into one Kafka record and reads back every value in order', () => {
    const records = [
      ...Array.from({ length: 300 }, (_, i) => record('BINANCE:BTCUSDT', i)),
      ...Array.from({ length: 200 }, (_, i) => record('BINANCE:ETHUSDT', 1000 + i)),
    ];
    const chunks = packRecords(records, { maxRequestBytes: 900_000 });
    expect(sizes(chunks)).toEqual([2]);
    const messages = chunks[0]![0]!.messages;
    expect(messages.every((m) => m.headers?.[PACK_HEADER] === '1')).toBe(true);
    const batch = unpackBatch({ topic: 'norm.trade', partition: 3, messages: fetched(messages) });
    expect(batch.messages.map((m) => text(m.value))).toEqual(records.map((r) => text(r.value)));
    const btc = batch.messages.filter((m) => m.key === 'BINANCE:BTCUSDT');
    expect(new Set(btc.map((m) => m.offset))).toEqual(new Set(['100']));
    expect(btc.every((m) => m.partition === 3 && m.headers === undefined && m.timestamp === 1.7e12)).toBe(
      true,
    );
  });

  it('splits packs at packBytes and keeps order across them', () => {
    const records = Array.from({ length: 1000 }, (_, i) => record('k', i));
    const chunks = packRecords(records, { maxRequestBytes: 900_000, maxPerKey: 1000, maxPackBytes: 500 });
    const messages = chunks.flatMap((c) => c.flatMap((t) => t.messages));
    expect(messages.length).toBeGreaterThan(10);
    for (const m of messages) expect((m.value as Buffer).byteLength).toBeLessThanOrEqual(500);
    const back = unpackBatch({ topic: 'norm.trade', partition: 0, messages: fetched(messages) }).messages.map(
      (m) => text(m.value),
    );
    expect(back).toEqual(records.map((r) => text(r.value)));
  });

  it('sends headered records and tombstones on their own, after the pack of their key so far', () => {
    const records: BusRecord[] = [
      record('k', 1),
      record('k', 2),
      { topic: 'norm.trade', key: 'k', value: new TextEncoder().encode('h3'), headers: { why: 'x' } },
      record('k', 4),
      { topic: 'norm.trade', key: 'k', value: new Uint8Array(0) },
      record('k', 6),
    ];
    const messages = packRecords(records, { maxRequestBytes: 900_000 }).flatMap((c) =>
      c.flatMap((t) => t.messages),
    );
    expect(
      messages.map((m) =>
        m.headers?.[PACK_HEADER] ? 'pack' : m.value === null ? 'tombstone' : String(m.value),
      ),
    ).toEqual(['pack', 'h3', 'v4', 'tombstone', 'v6']);
    const back = unpackBatch({ topic: 'norm.trade', partition: 0, messages: fetched(messages) }).messages;
    expect(back.map((m) => text(m.value))).toEqual(['v1', 'v2', 'h3', 'v4', '', 'v6']);
    expect(back[2]!.headers).toEqual({ why: 'x' });
  });

  it('leaves null-keyed records unpacked', () => {
    const records = Array.from({ length: 5 }, (_, i): BusRecord => ({ ...record('x', i), key: null }));
    const messages = packRecords(records, { maxRequestBytes: 900_000 }).flatMap((c) =>
      c.flatMap((t) => t.messages),
    );
    expect(messages).toHaveLength(5);
    expect(messages.every((m) => m.headers === undefined)).toBe(true);
  });

  it('passes a record marked as a pack that does not decode as one on whole, for the dead-letter path', () => {
    const broken: KafkaMessage = {
      key: Buffer.from('k'),
      value: Buffer.from([0x12, 0x01, 0x41]),
      headers: { [PACK_HEADER]: Buffer.from('1') },
      offset: '7',
      timestamp: '0',
      attributes: 0,
    };
    const [m] = unpackBatch({ topic: 'norm.trade', partition: 0, messages: [broken] }).messages;
    expect([...m!.value]).toEqual([0x12, 0x01, 0x41]);
    expect(m!.headers).toEqual({ [PACK_HEADER]: '1' });
  });
});

describe('RecordPack codec', () => {
  const values = [
    new Uint8Array(0),
    new Uint8Array([1, 2, 3]),
    new Uint8Array(200).fill(7),
    new Uint8Array(20_000).fill(9),
  ];

  it('writes the bytes the generated protobuf codec writes, and reads them back', () => {
    const mine = encodeRecordPack(values);
    expect(new Uint8Array(mine)).toEqual(new Uint8Array(RecordPackCodec.encode({ values })));
    expect(RecordPackCodec.decode(mine).values.map((v) => v.length)).toEqual([0, 3, 200, 20_000]);
    expect(packs.decode(mine).map((v) => new Uint8Array(v))).toEqual(values);
  });

  it('refuses a foreign field and a length past the end, saying where', () => {
    expect(() => packs.decode(new Uint8Array([0x12, 0x00]))).toThrow(/unexpected tag 18 at byte 0/);
    expect(() => packs.decode(new Uint8Array([0x0a, 0x05, 1]))).toThrow(/runs past the end/);
  });
});
