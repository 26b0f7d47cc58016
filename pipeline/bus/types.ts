/**
 * The Bus: the one messaging interface every producer and processor uses, with two
 * backends (Kafka through kafkajs, and an in-process embedded log). Components are
 * handed a `Bus` and never know which backend is behind it.
 *
 * Implementers: every method below is required. Semantics each backend must keep:
 * - `produce` is keyed and batched; records with the same key keep their order.
 * - `subscribe` is at-least-once: offsets are committed only after the handler resolves.
 * - `transform` is exactly-once: the handler's output records and the input offsets are
 *   committed atomically (Kafka transactions; readers use read_committed).
 * - a handler that throws does not lose the batch: it is redelivered (and the bus may
 *   back off); poison messages are the handler's to route with `deadLetter`.
 */

/** A record to write. `key` decides the partition (use `seriesKey(venue, symbol)`). */
export interface BusRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A record as read back, with its position in the log. */
export interface BusMessage extends BusRecord {
  readonly partition: number;
  /** Kafka offset as a decimal string (offsets are int64). */
  readonly offset: string;
  /** Broker/append time, epoch milliseconds. */
  readonly timestamp: number;
  /**
   * Place inside a packed Kafka record (several records of one key batched on the wire; see
   * proto/quantforge/v1/bus.proto), 0 or absent otherwise: (partition, offset, index) is unique
   * in a topic. Offsets commit per Kafka record, so a pack is delivered again whole or not at all.
   */
  readonly index?: number;
}

/** Messages of one topic-partition, in log order. */
export interface BusBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly BusMessage[];
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface SubscribeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts: earliest (true) or latest (false, default). */
  readonly fromBeginning?: boolean;
  /** Called per batch; offsets of the batch are committed after it resolves. */
  readonly handler: (batch: BusBatch) => Promise<void>;
  /** Optional: called after a rebalance with the partitions this member now owns. */
  readonly onAssigned?: (assigned: readonly TopicPartition[]) => Promise<void>;
}

export interface TransformOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Stable prefix of the transactional ids; the bus uses one transactional producer per
   * input partition, `${transactionalIdPrefix}-${topic}-${partition}`, so a restarted worker
   * fences its zombie predecessor.
   */
  readonly transactionalIdPrefix: string;
  readonly fromBeginning?: boolean;
  /**
   * Maps a batch to output records. Outputs and the batch's input offsets commit in one
   * transaction; if the handler throws, or the process dies, neither is visible.
   */
  readonly handler: (batch: BusBatch) => Promise<readonly BusRecord[]>;
  /** Optional: called after a rebalance with the partitions this member now owns (reload state here). */
  readonly onAssigned?: (assigned: readonly TopicPartition[]) => Promise<void>;
}

/** A running consumer; `stop` finishes the in-flight batch, commits, and leaves the group. */
export interface Subscription {
  readonly groupId: string;
  stop(): Promise<void>;
}

/** Why a message went to the dead-letter topic; written into its headers. */
export interface DeadLetterReason {
  /** Short machine-readable code, e.g. "malformed_json", "unknown_stream", "schema". */
  readonly code: string;
  /** What was wrong, for a person. */
  readonly message: string;
  /** The component that gave up on it, e.g. "normalize.binance". */
  readonly source: string;
}

/** A topic as declared in deploy/topics.yaml. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** -1 keeps forever. */
  readonly retentionMs: number;
  readonly cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
  readonly replicationFactor?: number;
}

export interface Bus {
  /** Which backend this is. */
  readonly kind: 'kafka' | 'embedded';
  /** Creates missing topics; existing ones are left as they are. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** Writes records, batched on the wire; resolves when the broker acknowledged them all. */
  produce(records: readonly BusRecord[]): Promise<void>;
  /** At-least-once consumer group. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Exactly-once consume-transform-produce worker. */
  transform(options: TransformOptions): Promise<Subscription>;
  /** Sends `message` to `dlq.<message.topic>` with the reason in its headers; never throws for a poison message. */
  deadLetter(message: BusMessage, reason: DeadLetterReason): Promise<void>;
  /**
   * Reads a topic from its start to its current end (committed records only) and returns the
   * last value per key, tombstones removed: how processors restore state from a compacted
   * changelog topic.
   */
  readCompacted(topic: string): Promise<Map<string, Uint8Array>>;
  /** Stops every subscription this bus started, then disconnects. */
  close(): Promise<void>;
}

/** Header names the bus writes on dead-lettered messages. */
export const DLQ_HEADERS = {
  reasonCode: 'qf-dlq-reason-code',
  reasonMessage: 'qf-dlq-reason',
  source: 'qf-dlq-source',
  originalTopic: 'qf-dlq-topic',
  originalPartition: 'qf-dlq-partition',
  originalOffset: 'qf-dlq-offset',
  /** Place inside a packed record, when the message came from one and was not its first. */
  originalIndex: 'qf-dlq-index',
  failedAt: 'qf-dlq-failed-at',
} as const;
