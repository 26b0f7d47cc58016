/**
 * A Bus view that puts every topic, consumer group and transactional id under a namespace
 * (`bus.kafka.namespace`), so several environments (staging and production, two teams, test
 * runs) share one Kafka cluster without meeting: the processors and the store sink use fixed
 * topic names (PROCESSOR_TOPICS, STORE_SINK_TOPICS) and fixed group / transactional ids, and
 * this is the one place they are all renamed.
 *
 * `norm.trade` becomes `<ns>.norm.trade` on the broker; messages handed to handlers carry the
 * un-namespaced name again, so code comparing `message.topic` keeps working.
 */
import { DLQ_PREFIX } from './topic-names.ts';
import type {
  Bus,
  BusBatch,
  BusMessage,
  BusRecord,
  SubscribeOptions,
  TopicPartition,
  TransformOptions,
} from './types.ts';

/** The broker-side name of `topic` in namespace `ns` (dead-letter topics keep their `dlq.` head). */
export function namespacedTopic(ns: string, topic: string): string {
  return topic.startsWith(DLQ_PREFIX)
    ? `${DLQ_PREFIX}${ns}.${topic.slice(DLQ_PREFIX.length)}`
    : `${ns}.${topic}`;
}

/** How a namespace renames things on the broker; the identity for the empty namespace. */
export interface NamespaceRenames {
  /** Broker-side name of a topic. */
  toBroker(topic: string): string;
  /** The name components use for a broker-side topic name. */
  toLocal(topic: string): string;
  /** Broker-side consumer group id or transactional id prefix. */
  group(id: string): string;
}

/** The names of namespace `ns` (`''`: no namespace). Renamings are cached per topic. */
export function namespaceRenames(ns: string): NamespaceRenames {
  if (ns === '') return { toBroker: (t) => t, toLocal: (t) => t, group: (id) => id };
  const toBroker = new Map<string, string>();
  const toLocal = new Map<string, string>();
  const head = `${ns}.`;
  const dlqHead = `${DLQ_PREFIX}${ns}.`;
  return {
    toBroker(topic) {
      let name = toBroker.get(topic);
      if (name === undefined) {
        name = namespacedTopic(ns, topic);
        toBroker.set(topic, name);
      }
      return name;
    },
    toLocal(topic) {
      let name = toLocal.get(topic);
      if (name === undefined) {
        name = topic.startsWith(dlqHead)
          ? `${DLQ_PREFIX}${topic.slice(dlqHead.length)}`
          : topic.startsWith(head)
            ? topic.slice(head.length)
            : topic;
        toLocal.set(topic, name);
      }
      return name;
    },
    group: (id) => `${ns}-${id}`,
  };
}

/** Optional hooks, for workers that report their progress to a test. */
export interface NamespacedBusHooks {
  /** Called as each transform batch reaches its handler (before it runs). */
  readonly onTransformBatch?: (groupId: string, batch: BusBatch) => void;
}

/**
 * Wraps `inner` so everything it names lives under `ns` (`''`: names unchanged, hooks only).
 * The Kafka bus applies `bus.kafka.namespace` itself without copying messages; this view is
 * for any bus, and for tests that watch a worker's batches through `hooks`.
 */
export function namespacedBus(inner: Bus, ns: string, hooks: NamespacedBusHooks = {}): Bus {
  const names = namespaceRenames(ns);
  const to = names.toBroker;
  const toRecords = (records: readonly BusRecord[]): readonly BusRecord[] => {
    if (ns === '') return records;
    const out = new Array<BusRecord>(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      out[i] = { topic: to(r.topic), key: r.key, value: r.value, headers: r.headers };
    }
    return out;
  };
  const fromBatch = (batch: BusBatch): BusBatch => {
    const topic = names.toLocal(batch.topic);
    if (topic === batch.topic) return batch;
    return { topic, partition: batch.partition, messages: batch.messages.map((m) => ({ ...m, topic })) };
  };
  const fromAssigned =
    (onAssigned: ((a: readonly TopicPartition[]) => Promise<void>) | undefined) =>
    (assigned: readonly TopicPartition[]) =>
      onAssigned?.(assigned.map((tp) => ({ topic: names.toLocal(tp.topic), partition: tp.partition }))) ??
      Promise.resolve();
  return {
    kind: inner.kind,
    ensureTopics: (specs) => inner.ensureTopics(specs.map((s) => ({ ...s, name: to(s.name) }))),
    produce: (records) => inner.produce(toRecords(records)),
    subscribe: (options: SubscribeOptions) =>
      inner.subscribe({
        ...options,
        groupId: names.group(options.groupId),
        topics: options.topics.map(to),
        handler: (batch) => options.handler(fromBatch(batch)),
        onAssigned: fromAssigned(options.onAssigned),
      }),
    transform: (options: TransformOptions) =>
      inner.transform({
        ...options,
        groupId: names.group(options.groupId),
        transactionalIdPrefix: names.group(options.transactionalIdPrefix),
        topics: options.topics.map(to),
        handler: async (batch) => {
          hooks.onTransformBatch?.(options.groupId, batch);
          return toRecords(await options.handler(fromBatch(batch)));
        },
        onAssigned: fromAssigned(options.onAssigned),
      }),
    deadLetter: (message: BusMessage, reason) =>
      inner.deadLetter(ns === '' ? message : { ...message, topic: to(message.topic) }, reason),
    readCompacted: (topic) => inner.readCompacted(to(topic)),
    close: () => inner.close(),
  };
}
