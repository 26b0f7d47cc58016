import type { IHeaders, KafkaMessage, Message, TopicMessages } from 'kafkajs';
import type { BusBatch, BusMessage, BusRecord } from '../types.ts';
import {
  decodeRecordPack,
  encodeRecordPack,
  MalformedPackError,
  PACK_HEADER,
  PACK_VERSION,
} from './record-pack.ts';

const EMPTY = new Uint8Array(0);
/** Per-record overhead counted when sizing a request (record header, offsets, lengths). */
const RECORD_OVERHEAD = 70;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Most records of one key (so of one partition) per produce request. kafkajs groups a request's
 * messages per partition by copying the partition's array for every message
 * (`[...current, message]` in producer/groupMessagesPerPartition.js), which is quadratic: 4,000
 * messages of one series cost ~4.3 µs each, 1,000 cost ~1.3 µs. A single hot series (the
 * pipeline's usual case) hits it on every stage.
 */
const MAX_PER_KEY = 1000;

/** Largest pack: well under the broker's default 1 MiB record batch limit. */
const MAX_PACK_BYTES = 256 * 1024;
/** Pack overhead per value: tag plus a length varint of up to 5 bytes. */
const PACK_VALUE_OVERHEAD = 6;

interface OutMessage {
  readonly topic: string;
  readonly message: Message;
  readonly size: number;
  readonly keyId: string | undefined;
}

interface OpenPack {
  readonly topic: string;
  readonly key: string;
  readonly keyId: string;
  readonly values: Uint8Array[];
  bytes: number;
  closed: boolean;
}

const PACK_HEADERS: IHeaders = { [PACK_HEADER]: PACK_VERSION };

function packMessage(pack: OpenPack): OutMessage {
  if (pack.values.length === 1) {
    const value = pack.values[0]!;
    return {
      topic: pack.topic,
      keyId: pack.keyId,
      size: value.byteLength + pack.key.length + RECORD_OVERHEAD,
      message: { key: pack.key, value: toBuffer(value) },
    };
  }
  const value = encodeRecordPack(pack.values);
  return {
    topic: pack.topic,
    keyId: pack.keyId,
    size: value.byteLength + pack.key.length + RECORD_OVERHEAD + PACK_HEADER.length + 1,
    message: { key: pack.key, value, headers: PACK_HEADERS },
  };
}

/**
 * Batches on the wire: the keyed records of one topic and key become one Kafka record holding
 * a RecordPack (proto/quantforge/v1/bus.proto) of their values, in order, up to `packBytes`.
 * A record with headers or an empty value (a tombstone) is sent on its own, after the pack of
 * its key so far, so per-key order holds; null-keyed records are sent as they are.
 */
function packRecords(records: readonly BusRecord[], packBytes: number): OutMessage[] {
  const out: OutMessage[] = [];
  const open = new Map<string, OpenPack>();
  const close = (pack: OpenPack) => {
    open.delete(pack.keyId);
    pack.closed = true;
    out.push(packMessage(pack));
  };
  // Runs of one topic and key are the common case (a stage's output for one series): the
  // previous record's pack is reused without building its map key again.
  let last: OpenPack | undefined;
  for (const record of records) {
    const key = record.key;
    const size = record.value.byteLength + PACK_VALUE_OVERHEAD;
    const packable = key !== null && record.headers === undefined && record.value.byteLength > 0;
    if (
      packable &&
      last !== undefined &&
      last.key === key &&
      last.topic === record.topic &&
      open.has(last.keyId)
    ) {
      if (last.bytes + size <= packBytes) {
        last.values.push(record.value);
        last.bytes += size;
        continue;
      }
    }
    const keyId = key === null ? undefined : `${record.topic}\u0000${key}`;
    if (packable && keyId !== undefined) {
      let pack = open.get(keyId);
      if (pack !== undefined && pack.bytes + size > packBytes) {
        close(pack);
        pack = undefined;
      }
      if (pack === undefined) {
        pack = { topic: record.topic, key, keyId, values: [], bytes: 0, closed: false };
        open.set(keyId, pack);
      }
      pack.values.push(record.value);
      pack.bytes += size;
      last = pack;
      continue;
    }
    if (keyId !== undefined) {
      const pack = open.get(keyId);
      if (pack !== undefined) close(pack);
    }
    out.push({
      topic: record.topic,
      keyId,
      size: record.value.byteLength + (key === null ? 0 : key.length) + RECORD_OVERHEAD,
      message: {
        key,
        value: record.value.byteLength === 0 ? null : toBuffer(record.value),
        headers: record.headers as IHeaders | undefined,
      },
    });
  }
  for (const pack of [...open.values()]) close(pack);
  return out;
}

/**
 * Packs `records` (see {@link packRecords}), then groups the Kafka records by topic into
 * produce requests of at most about `maxBytes` each (a broker refuses a record batch above
 * `message.max.bytes`, 1 MiB by default) and at most `maxPerKey` records of one key (see
 * {@link MAX_PER_KEY}). Order is kept within each topic, so per-key order holds when the
 * chunks are sent one after another. An empty value is sent as null: Kafka's tombstone.
 * `toBroker` renames topics into the bus's namespace (once per topic, not per record).
 */
export function toTopicMessageChunks(
  records: readonly BusRecord[],
  maxBytes: number,
  maxPerKey = MAX_PER_KEY,
  packBytes = Math.min(MAX_PACK_BYTES, maxBytes),
  toBroker: (topic: string) => string = (topic) => topic,
): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let byTopic = new Map<string, Message[]>();
  let perKey = new Map<string, number>();
  let bytes = 0;
  let lastTopic: string | undefined;
  let list: Message[] | undefined;
  for (const item of packRecords(records, packBytes)) {
    const { keyId, size } = item;
    const sameKey = keyId === undefined ? 0 : (perKey.get(keyId) ?? 0);
    if (bytes > 0 && (bytes + size > maxBytes || sameKey >= maxPerKey)) {
      chunks.push(toTopicMessages(byTopic, toBroker));
      byTopic = new Map();
      perKey = new Map();
      bytes = 0;
      lastTopic = undefined;
    }
    if (keyId !== undefined) perKey.set(keyId, (perKey.get(keyId) ?? 0) + 1);
    if (item.topic !== lastTopic || list === undefined) {
      lastTopic = item.topic;
      list = byTopic.get(item.topic);
      if (list === undefined) {
        list = [];
        byTopic.set(item.topic, list);
      }
    }
    list.push(item.message);
    bytes += size;
  }
  if (bytes > 0) chunks.push(toTopicMessages(byTopic, toBroker));
  return chunks;
}

function toTopicMessages(
  byTopic: Map<string, Message[]>,
  toBroker: (topic: string) => string,
): TopicMessages[] {
  const out: TopicMessages[] = [];
  for (const [topic, messages] of byTopic) out.push({ topic: toBroker(topic), messages });
  return out;
}

function toHeaders(headers: IHeaders | undefined): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  let out: Record<string, string> | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    out ??= {};
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    out[name] = last === undefined ? '' : last.toString();
  }
  return out;
}

/**
 * A kafkajs batch's messages (from index `start`) as a {@link BusBatch}: a packed record
 * (header `qf-pack`) becomes its values, each a message with the record's key, partition,
 * offset and timestamp. Values are views of the fetched buffers, not copies. A record marked
 * as a pack that does not decode as one is passed on whole, for the handler to dead-letter.
 */
export function toBusBatch(
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  start = 0,
): BusBatch {
  const out: BusMessage[] = [];
  for (let i = start; i < messages.length; i++) {
    const m = messages[i]!;
    const key = m.key === null || m.key === undefined ? null : m.key.toString();
    const value = m.value ?? EMPTY;
    const offset = m.offset;
    const timestamp = Number(m.timestamp);
    if (m.headers !== undefined && m.headers[PACK_HEADER] !== undefined) {
      const values = unpack(value);
      if (values !== undefined) {
        for (let index = 0; index < values.length; index++)
          out.push({
            topic,
            key,
            value: values[index]!,
            headers: undefined,
            partition,
            offset,
            timestamp,
            index,
          });
        continue;
      }
    }
    out.push({ topic, key, value, headers: toHeaders(m.headers), partition, offset, timestamp });
  }
  return { topic, partition, messages: out };
}

function unpack(value: Uint8Array): Uint8Array[] | undefined {
  try {
    return decodeRecordPack(value);
  } catch (error) {
    if (error instanceof MalformedPackError) return undefined;
    throw error;
  }
}
