/**
 * Record packing, both ways: {@link packRecords} turns the bus records of a produce call into
 * Kafka produce requests, the records of one topic and key packed into RecordPacks
 * (record-pack.ts); {@link createBatchUnpacker} turns a fetched Kafka batch back into a
 * {@link BusBatch}, one message per packed value.
 */
import type { IHeaders, KafkaMessage, Message, TopicMessages } from 'kafkajs';
import type { BusBatch, BusMessage, BusRecord } from '../types.ts';
import {
  createRecordPackReader,
  PACK_HEADER,
  PACK_VERSION,
  packEntrySize,
  type RecordPackReader,
  writePackEntry,
} from './record-pack.ts';

const EMPTY = new Uint8Array(0);
/** Per-record overhead counted when sizing a request (record header, offsets, lengths). */
const RECORD_OVERHEAD = 70;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A record sent as a Kafka record of its own (not packed): an empty value is a tombstone (null). */
function unpacked(record: BusRecord): Message {
  const value = record.value;
  return {
    key: record.key,
    value: value.byteLength === 0 ? null : toBuffer(value),
    headers: record.headers as IHeaders | undefined,
  };
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

/** One topic and key of a produce call: its open pack, and its records in the request being built. */
interface Slot {
  readonly topic: string;
  readonly key: string;
  pack: OpenPack | undefined;
  /** The request `inRequest` counts for. */
  request: number;
  inRequest: number;
}

/**
 * Records of one slot to send as one Kafka record: a chain through the call's records (`first`,
 * then `next[i]`), so no array of values is built per pack.
 */
interface OpenPack {
  readonly slot: Slot;
  readonly first: number;
  last: number;
  count: number;
  /** Bytes counted against `packBytes` (value + PACK_VALUE_OVERHEAD each): decides where packs split. */
  bytes: number;
  /** Exact encoded size of the pack. */
  size: number;
  closed: boolean;
}

const PACK_HEADERS: IHeaders = { [PACK_HEADER]: PACK_VERSION };

/**
 * Groups Kafka records by topic into requests of at most `maxBytes` and `maxPerKey` records of
 * one key, in the order they are added (see {@link packRecords}).
 */
class RequestBuilder {
  readonly requests: TopicMessages[][] = [];
  private byTopic = new Map<string, Message[]>();
  private bytes = 0;
  private request = 0;
  private lastTopic: string | undefined;
  private list: Message[] | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly maxPerKey: number,
    private readonly toBroker: (topic: string) => string,
  ) {}

  add(topic: string, message: Message, size: number, slot: Slot | undefined): void {
    if (this.bytes > 0) {
      const sameKey = slot === undefined || slot.request !== this.request ? 0 : slot.inRequest;
      if (this.bytes + size > this.maxBytes || sameKey >= this.maxPerKey) this.flush();
    }
    if (slot !== undefined) {
      if (slot.request !== this.request) {
        slot.request = this.request;
        slot.inRequest = 0;
      }
      slot.inRequest++;
    }
    let list = this.list;
    if (topic !== this.lastTopic || list === undefined) {
      this.lastTopic = topic;
      list = this.byTopic.get(topic);
      if (list === undefined) {
        list = [];
        this.byTopic.set(topic, list);
      }
      this.list = list;
    }
    list.push(message);
    this.bytes += size;
  }

  flush(): void {
    if (this.bytes === 0) return;
    const out: TopicMessages[] = [];
    for (const [topic, messages] of this.byTopic) out.push({ topic: this.toBroker(topic), messages });
    this.requests.push(out);
    this.byTopic = new Map();
    this.bytes = 0;
    this.request++;
    this.lastTopic = undefined;
    this.list = undefined;
  }
}

/** Sends `pack` as one Kafka record: its value alone when it holds one, else a RecordPack. */
function closePack(
  pack: OpenPack,
  records: readonly BusRecord[],
  next: Int32Array,
  to: RequestBuilder,
): void {
  pack.closed = true;
  const slot = pack.slot;
  slot.pack = undefined;
  const key = slot.key;
  if (pack.count === 1) {
    const value = records[pack.first]!.value;
    const size = value.byteLength + key.length + RECORD_OVERHEAD;
    to.add(slot.topic, { key, value: toBuffer(value), headers: undefined }, size, slot);
    return;
  }
  // Exact size, not zero-filled (every byte is written); above 4 KiB not from the shared pool.
  const value = Buffer.allocUnsafe(pack.size);
  let pos = 0;
  for (let i = pack.first, n = pack.count; n > 0; n--, i = next[i]!) {
    pos = writePackEntry(value, pos, records[i]!.value);
  }
  const size = pack.size + key.length + RECORD_OVERHEAD + PACK_HEADER.length + 1;
  to.add(slot.topic, { key, value, headers: PACK_HEADERS }, size, slot);
}

/**
 * Batches on the wire: the keyed records of one topic and key become one Kafka record holding
 * a RecordPack (proto/quantforge/v1/bus.proto) of their values, in order, up to `packBytes`.
 * A record with headers or an empty value (a tombstone) is sent on its own, after the pack of
 * its key so far, so per-key order holds; null-keyed records are sent as they are. Runs of one
 * topic and key (a stage's output for one series) reuse the previous record's slot without a
 * map lookup; each pack is written once into a buffer of its exact size.
 */
function addPacked(records: readonly BusRecord[], packBytes: number, to: RequestBuilder): void {
  const next = new Int32Array(records.length);
  const topics = new Map<string, Map<string, Slot>>();
  const opened: OpenPack[] = [];
  let lastTopic: string | undefined;
  let keys: Map<string, Slot> | undefined;
  let last: Slot | undefined;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const key = record.key;
    const value = record.value;
    const length = value.byteLength;
    if (key === null) {
      to.add(record.topic, unpacked(record), length + RECORD_OVERHEAD, undefined);
      continue;
    }
    let slot = last;
    if (slot === undefined || slot.key !== key || slot.topic !== record.topic) {
      const topic = record.topic;
      if (topic !== lastTopic || keys === undefined) {
        lastTopic = topic;
        keys = topics.get(topic);
        if (keys === undefined) {
          keys = new Map();
          topics.set(topic, keys);
        }
      }
      slot = keys.get(key);
      if (slot === undefined) {
        slot = { topic, key, pack: undefined, request: -1, inRequest: 0 };
        keys.set(key, slot);
      }
      last = slot;
    }
    let pack = slot.pack;
    if (record.headers !== undefined || length === 0) {
      if (pack !== undefined) closePack(pack, records, next, to);
      to.add(slot.topic, unpacked(record), length + key.length + RECORD_OVERHEAD, slot);
      continue;
    }
    const counted = length + PACK_VALUE_OVERHEAD;
    if (pack !== undefined && pack.bytes + counted > packBytes) {
      closePack(pack, records, next, to);
      pack = undefined;
    }
    if (pack === undefined) {
      pack = {
        slot,
        first: i,
        last: i,
        count: 1,
        bytes: counted,
        size: packEntrySize(length),
        closed: false,
      };
      slot.pack = pack;
      opened.push(pack);
    } else {
      next[pack.last] = i;
      pack.last = i;
      pack.count++;
      pack.bytes += counted;
      pack.size += packEntrySize(length);
    }
  }
  for (const pack of opened) if (!pack.closed) closePack(pack, records, next, to);
}

/** How {@link packRecords} sizes packs and requests. */
export interface PackOptions {
  /**
   * Most bytes of one produce request, about (a broker refuses a record batch above
   * `message.max.bytes`, 1 MiB by default).
   */
  readonly maxRequestBytes: number;
  /** Most Kafka records of one key in one request (default {@link MAX_PER_KEY}). */
  readonly maxPerKey?: number;
  /** Most bytes of one pack; 0 sends every record on its own (default 256 KiB, at most maxRequestBytes). */
  readonly maxPackBytes?: number;
  /** Renames topics into the bus's namespace (once per topic, not per record); default: as they are. */
  readonly toBroker?: (topic: string) => string;
}

/**
 * Packs `records` into Kafka records (see {@link addPacked}) and groups those by topic into
 * produce requests, within the limits of `options`. Order is kept within each topic, so
 * per-key order holds when the requests are sent one after another. An empty value is sent
 * as null: Kafka's tombstone.
 */
export function packRecords(records: readonly BusRecord[], options: PackOptions): TopicMessages[][] {
  const {
    maxRequestBytes,
    maxPerKey = MAX_PER_KEY,
    maxPackBytes = Math.min(MAX_PACK_BYTES, maxRequestBytes),
    toBroker = (topic: string) => topic,
  } = options;
  const builder = new RequestBuilder(maxRequestBytes, maxPerKey, toBroker);
  addPacked(records, maxPackBytes, builder);
  builder.flush();
  return builder.requests;
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

/** Fetched Kafka records of one partition, to unpack. */
export interface FetchedBatch {
  /** The topic as the bus names it (not the broker's namespaced name). */
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
  /** Index of the first message to unpack (default 0). */
  readonly start?: number;
}

/**
 * Unpacks a fetched batch into a {@link BusBatch}: a packed record (header `qf-pack`) becomes
 * its values, each a message with the record's key, partition, offset and timestamp. Values
 * are views of the fetched buffers, not copies. A record marked as a pack that does not decode
 * as one is passed on whole, for the handler to dead-letter. Every message has the same fields
 * in the same order (`headers` and `index` always present), so the handlers that read them see
 * one object shape.
 */
export type BatchUnpacker = (fetched: FetchedBatch) => BusBatch;

/** A new {@link BatchUnpacker}, with its own pack reader (one per consumer). */
export function createBatchUnpacker(): BatchUnpacker {
  const packs = createRecordPackReader();
  return (fetched) => unpackBatch(packs, fetched);
}

function unpackBatch(packs: RecordPackReader, fetched: FetchedBatch): BusBatch {
  const { topic, partition, messages, start = 0 } = fetched;
  const out: BusMessage[] = [];
  for (let i = start; i < messages.length; i++) {
    const m = messages[i]!;
    const key = m.key === null || m.key === undefined ? null : m.key.toString();
    const value = m.value ?? EMPTY;
    const offset = m.offset;
    const timestamp = Number(m.timestamp);
    const headers = m.headers;
    if (
      headers !== undefined &&
      headers[PACK_HEADER] !== undefined &&
      packs.unpackInto(out, value, { topic, key, partition, offset, timestamp })
    )
      continue;
    out.push({
      topic,
      key,
      value,
      headers: toHeaders(headers),
      partition,
      offset,
      timestamp,
      index: 0,
    });
  }
  return { topic, partition, messages: out };
}
