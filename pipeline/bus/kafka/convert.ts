import type { IHeaders, KafkaMessage, Message, TopicMessages } from 'kafkajs';
import type { BusBatch, BusMessage, BusRecord } from '../types.ts';

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

/**
 * Groups `records` by topic into produce requests of at most about `maxBytes` each (a broker
 * refuses a record batch above `message.max.bytes`, 1 MiB by default) and at most `maxPerKey`
 * records of one key (see {@link MAX_PER_KEY}). Order is kept within
 * each topic, so per-key order holds when the chunks are sent one after another. An empty
 * value is sent as null: Kafka's tombstone.
 */
export function toTopicMessageChunks(
  records: readonly BusRecord[],
  maxBytes: number,
  maxPerKey = MAX_PER_KEY,
): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let byTopic = new Map<string, Message[]>();
  let perKey = new Map<string, number>();
  let bytes = 0;
  let lastTopic: string | undefined;
  let list: Message[] | undefined;
  for (const record of records) {
    const size = record.value.byteLength + (record.key === null ? 0 : record.key.length) + RECORD_OVERHEAD;
    const keyId = record.key === null ? undefined : `${record.topic}\u0000${record.key}`;
    const sameKey = keyId === undefined ? 0 : (perKey.get(keyId) ?? 0);
    if (bytes > 0 && (bytes + size > maxBytes || sameKey >= maxPerKey)) {
      chunks.push(toTopicMessages(byTopic));
      byTopic = new Map();
      perKey = new Map();
      bytes = 0;
      lastTopic = undefined;
    }
    if (keyId !== undefined) perKey.set(keyId, (perKey.get(keyId) ?? 0) + 1);
    if (record.topic !== lastTopic || list === undefined) {
      lastTopic = record.topic;
      list = byTopic.get(record.topic);
      if (list === undefined) {
        list = [];
        byTopic.set(record.topic, list);
      }
    }
    list.push({
      key: record.key,
      value: record.value.byteLength === 0 ? null : toBuffer(record.value),
      headers: record.headers as IHeaders | undefined,
    });
    bytes += size;
  }
  if (bytes > 0) chunks.push(toTopicMessages(byTopic));
  return chunks;
}

function toTopicMessages(byTopic: Map<string, Message[]>): TopicMessages[] {
  const out: TopicMessages[] = [];
  for (const [topic, messages] of byTopic) out.push({ topic, messages });
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

/** A kafkajs batch's messages (from index `start`) as a {@link BusBatch}; values are not copied. */
export function toBusBatch(
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  start = 0,
): BusBatch {
  const out = new Array<BusMessage>(messages.length - start);
  for (let i = start; i < messages.length; i++) {
    const m = messages[i]!;
    out[i - start] = {
      topic,
      key: m.key === null || m.key === undefined ? null : m.key.toString(),
      value: m.value ?? EMPTY,
      headers: toHeaders(m.headers),
      partition,
      offset: m.offset,
      timestamp: Number(m.timestamp),
    };
  }
  return { topic, partition, messages: out };
}
