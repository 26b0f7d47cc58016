import type { KafkaMessage, Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { RecordPackCodec } from '../../../proto/index.ts';
import { recordedTrades } from '../testing/index.ts';
import type { BusMessage, BusRecord } from '../types.ts';
import { createBatchUnpacker, packRecords } from './packing.ts';
import { createRecordPackReader, PACK_HEADER } from './record-pack.ts';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const packs = createRecordPackReader();
const unpackBatch = createBatchUnpacker();

/** Recorded trades of three series, interleaved, on two topics. */
function interleaved(count: number): BusRecord[] {
  return recordedTrades(count, SYMBOLS).map((t, i) => ({
    topic: i % 5 === 0 ? 'norm.other' : 'norm.trade',
    key: t.key,
    value: t.value,
  }));
}

const flat = (records: readonly BusRecord[], packBytes?: number) =>
  packRecords(records, {
    maxRequestBytes: 900_000,
    maxPerKey: 1000,
    maxPackBytes: packBytes,
  }).flatMap((request) => request.flatMap((t) => t.messages.map((m) => ({ topic: t.topic, message: m }))));

describe('packs written by packRecords', () => {
  it('are byte for byte what the generated codec writes for each key, in order (recorded trades)', () => {
    const records = interleaved(3000);
    const sent = flat(records, 64 * 1024);
    const perKey = new Map<string, Uint8Array[]>();
    let packs = 0;
    for (const { topic, message } of sent) {
      const id = `${topic}/${String(message.key)}`;
      const values = perKey.get(id) ?? [];
      perKey.set(id, values);
      const value = message.value as Buffer;
      if (message.headers?.[PACK_HEADER] === undefined) {
        values.push(value);
        continue;
      }
      packs++;
      const decoded = RecordPackCodec.decode(value).values;
      expect(Buffer.from(RecordPackCodec.encode({ values: decoded })).equals(value)).toBe(true);
      values.push(...decoded);
    }
    expect(packs).toBeGreaterThan(6);
    for (const [id, values] of perKey) {
      const [topic, key] = id.split('/');
      const expected = records.filter((r) => r.topic === topic && r.key === key).map((r) => r.value);
      expect(values.length).toBe(expected.length);
      expect(values.map((v) => Buffer.from(v).toString('hex'))).toEqual(
        expected.map((v) => Buffer.from(v).toString('hex')),
      );
    }
  });

  it('start a new pack for a key after its headered record, and count each pack against packBytes', () => {
    const value = new Uint8Array(100).fill(1);
    const records: BusRecord[] = [
      ...Array.from({ length: 5 }, (): BusRecord => ({ topic: 't', key: 'a', value })),
      { topic: 't', key: 'b', value },
      { topic: 't', key: 'a', value, headers: { why: 'late' } },
      ...Array.from({ length: 3 }, (): BusRecord => ({ topic: 't', key: 'a', value })),
    ];
    // 106 counted bytes per value: 3 values fit in 320.
    const sent = flat(records, 320).map(({ message }) =>
      message.headers?.[PACK_HEADER] !== undefined
        ? `${String(message.key)}:${RecordPackCodec.decode(message.value as Buffer).values.length}`
        : `${String(message.key)}${message.headers === undefined ? '' : '+h'}`,
    );
    expect(sent).toEqual(['a:3', 'a:2', 'a+h', 'b', 'a:3']);
  });
});

function fetched(messages: readonly Message[]): KafkaMessage[] {
  return messages.map((m, i) => ({
    key: m.key === null || m.key === undefined ? null : Buffer.from(m.key),
    value: m.value === null || m.value === undefined ? null : Buffer.from(m.value),
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))])),
    offset: String(10 + i),
    timestamp: '1700000000000',
    attributes: 0,
  }));
}

describe('unpacking fetched records', () => {
  it('gives views (Buffers, no copies) of the values the generated codec reads', () => {
    const values = recordedTrades(40).map((t) => t.value);
    const pack = Buffer.from(RecordPackCodec.encode({ values }));
    const out: BusMessage[] = [];
    expect(
      packs.unpackInto(out, pack, { topic: 'norm.trade', key: 'k', partition: 2, offset: '7', timestamp: 5 }),
    ).toBe(true);
    expect(out.map((m) => new Uint8Array(m.value))).toEqual(values.map((v) => new Uint8Array(v)));
    expect(out.map((m) => m.index)).toEqual(values.map((_, i) => i));
    for (const m of out) {
      expect(Buffer.isBuffer(m.value)).toBe(true);
      expect(m.value.buffer).toBe(pack.buffer);
    }
    expect(packs.decode(pack).map((v) => new Uint8Array(v))).toEqual(values.map((v) => new Uint8Array(v)));
  });

  it('adds nothing for a pack whose later entry is broken, so the record is passed on whole', () => {
    const good = RecordPackCodec.encode({ values: [new Uint8Array([1, 2]), new Uint8Array([3])] });
    const broken = Buffer.concat([good, Buffer.from([0x0a, 0x09, 4])]);
    const before: BusMessage = {
      topic: 't',
      key: null,
      value: new Uint8Array(1),
      headers: undefined,
      partition: 0,
      offset: '1',
      timestamp: 0,
      index: 0,
    };
    const out = [before];
    expect(
      packs.unpackInto(out, broken, { topic: 't', key: 'k', partition: 0, offset: '2', timestamp: 0 }),
    ).toBe(false);
    expect(out).toEqual([before]);
    expect(() => packs.decode(broken)).toThrow(/value of 9 bytes at byte 9 runs past the end \(10\)/);
    const record: KafkaMessage = {
      key: Buffer.from('k'),
      value: broken,
      headers: { [PACK_HEADER]: Buffer.from('1') },
      offset: '2',
      timestamp: '0',
      attributes: 0,
    };
    const [whole] = unpackBatch({ topic: 't', partition: 0, messages: [record] }).messages;
    expect(new Uint8Array(whole!.value)).toEqual(new Uint8Array(broken));
  });

  it('makes every message with the same fields in the same order: packed, plain, headered, tombstone', () => {
    const records: BusRecord[] = [
      { topic: 't', key: 'a', value: new Uint8Array([1]) },
      { topic: 't', key: 'a', value: new Uint8Array([2]) },
      { topic: 't', key: 'b', value: new Uint8Array([3]) },
      { topic: 't', key: 'a', value: new Uint8Array([4]), headers: { h: 'x' } },
      { topic: 't', key: 'a', value: new Uint8Array(0) },
      { topic: 't', key: null, value: new Uint8Array([5]) },
    ];
    const batch = unpackBatch({
      topic: 't',
      partition: 1,
      messages: fetched(flat(records).map((s) => s.message)),
    });
    // b's pack is still open when a's closes: per-key order, not call order.
    expect(batch.messages.map((m) => [...m.value])).toEqual([[1], [2], [4], [], [5], [3]]);
    const fields = ['topic', 'key', 'value', 'headers', 'partition', 'offset', 'timestamp', 'index'];
    for (const m of batch.messages) expect(Object.keys(m)).toEqual(fields);
    expect(batch.messages.map((m) => m.index)).toEqual([0, 1, 0, 0, 0, 0]);
  });
});
