import { partitionForKey } from '../partitioner.ts';
import type { BusMessage, BusRecord } from '../types.ts';

/** One topic of the embedded log: an append-only array of messages per partition. */
export interface EmbeddedTopic {
  readonly name: string;
  readonly partitions: BusMessage[][];
  /** Called (synchronously, once per append call) after records were appended. */
  readonly listeners: Set<() => void>;
  /** key -> partition, so the hash runs once per distinct key. */
  readonly keyPartitions: Map<string, number>;
  /** Round-robin cursor for records without a key. */
  nextUnkeyed: number;
}

const KEY_CACHE_LIMIT = 100_000;

/**
 * The in-process log behind the embedded bus: topics of partitions of messages, in memory only.
 * Offsets are array indexes (nothing is ever removed, so they stay stable).
 */
export class EmbeddedLog {
  private readonly topics = new Map<string, EmbeddedTopic>();

  constructor(private readonly defaultPartitions: number) {}

  /** The topic, created with `partitions` (or the default) when missing. */
  topic(name: string, partitions?: number): EmbeddedTopic {
    let topic = this.topics.get(name);
    if (topic === undefined) {
      const count = partitions ?? this.defaultPartitions;
      topic = {
        name,
        partitions: Array.from({ length: count }, () => []),
        listeners: new Set(),
        keyPartitions: new Map(),
        nextUnkeyed: 0,
      };
      this.topics.set(name, topic);
    }
    return topic;
  }

  has(name: string): boolean {
    return this.topics.has(name);
  }

  /**
   * Appends `records` in order and then tells each touched topic's listeners once. Synchronous:
   * nothing else runs between the first and the last append, which is what makes a transform's
   * outputs and offset commit atomic.
   */
  append(records: readonly BusRecord[], now: number): void {
    let touched: EmbeddedTopic | Set<EmbeddedTopic> | undefined;
    let topic: EmbeddedTopic | undefined;
    for (const record of records) {
      if (topic === undefined || topic.name !== record.topic) {
        topic = this.topic(record.topic);
        if (touched === undefined) touched = topic;
        else if (touched !== topic) {
          if (!(touched instanceof Set)) touched = new Set([touched]);
          touched.add(topic);
        }
      }
      const partition = this.partitionOf(topic, record.key);
      const log = topic.partitions[partition]!;
      log.push({
        topic: record.topic,
        key: record.key,
        value: record.value,
        headers: record.headers,
        partition,
        offset: String(log.length),
        timestamp: now,
      });
    }
    if (touched instanceof Set) for (const t of touched) notify(t);
    else if (touched !== undefined) notify(touched);
  }

  private partitionOf(topic: EmbeddedTopic, key: string | null): number {
    const count = topic.partitions.length;
    if (key === null) {
      const partition = topic.nextUnkeyed % count;
      topic.nextUnkeyed = partition + 1;
      return partition;
    }
    let partition = topic.keyPartitions.get(key);
    if (partition === undefined) {
      if (topic.keyPartitions.size >= KEY_CACHE_LIMIT) topic.keyPartitions.clear();
      partition = partitionForKey(key, count);
      topic.keyPartitions.set(key, partition);
    }
    return partition;
  }
}

function notify(topic: EmbeddedTopic): void {
  for (const listener of topic.listeners) listener();
}
