/**
 * docs/topics.md, rendered from the topic catalog (deploy/topics.yaml). scripts/gen-topics-doc.ts
 * writes it; a test fails while the committed page differs.
 */
import { fileURLToPath } from 'node:url';
import type { TopicCatalog, TopicDeclaration } from './topics.ts';

export const TOPICS_DOC_PATH = fileURLToPath(new URL('../../docs/topics.md', import.meta.url));

/** 604800000 -> `7d`; -1 -> `forever`. */
export function formatRetention(ms: number): string {
  if (ms < 0) return 'forever';
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

const cell = (text: string): string => text.replaceAll('|', '\\|');

function topicRow(t: TopicDeclaration): string {
  const schema = t.schema === 'raw' || t.schema === 'opaque' ? t.schema : `\`${t.schema}\``;
  return `| \`${t.name}\` | ${t.partitions} | ${formatRetention(t.retentionMs)} | ${t.cleanupPolicy} | ${t.key} | ${schema} | ${cell(t.description)} |`;
}

/** The Markdown of docs/topics.md for a topic catalog (pure). */
export function renderTopicsDoc(catalog: TopicCatalog): string {
  const bus = catalog.topics.filter((t) => t.deadLetterOf === undefined);
  const dlq = catalog.topics.filter((t) => t.deadLetterOf !== undefined);
  const lines = [
    '# Topics',
    '',
    '<!-- Generated from deploy/topics.yaml by scripts/gen-topics-doc.ts; do not edit by hand. -->',
    '',
    'Every bus topic is declared once in `deploy/topics.yaml` and created from it',
    '(`quantforge topics ensure`). After editing that file, regenerate this page with',
    '`node --import tsx scripts/gen-topics-doc.ts`; a test fails while it is stale. Code names',
    'topics through the constants of `pipeline/bus/topic-names.ts` (`TOPIC_NAMES`, `rawTopicName`,',
    '`deadLetterTopic`), never as string literals; `pipeline/bus/topic-names.test.ts` fails when a',
    'constant is not declared here or a declared topic has no constant.',
    '',
    '- Every value is a protobuf `Envelope` (proto/quantforge/v1/envelope.proto). **schema** names the',
    '  payload message in `Envelope.payload`; `raw` means the exact venue bytes in `Envelope.raw`;',
    '  `opaque` means bytes owned by the processor that writes the topic.',
    '- On Kafka, records of one topic and key produced together travel as one Kafka record whose',
    '  value is a `RecordPack` of their values (proto/quantforge/v1/bus.proto), marked by the header',
    '  `qf-pack: 1`; bus consumers see the values as separate messages. Readers outside the bus',
    '  decode a record with that header as a `RecordPack` first. Records with headers and',
    '  tombstones are never packed.',
    '- **key** `VENUE:SYMBOL` (e.g. `BINANCE:BTCUSDT`) keeps one series in one partition, in order.',
    '- Changelog topics (`state.*`) are compacted and have as many partitions as the topic their',
    "  processor reads, so a partition's state and its input move together on rebalance.",
    '',
    `## Bus topics (${bus.length})`,
    '',
    '| topic | partitions | retention | cleanup | key | schema | description |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...bus.map(topicRow),
    '',
    `## Dead-letter topics (${dlq.length})`,
    '',
    'Poison messages, unchanged (same key, value and schema), with why in headers',
    '(`DLQ_HEADERS` in pipeline/bus/types.ts: reason code and text, source component, original topic,',
    'partition and offset, time).',
    '',
    '| topic | dead letters of | partitions | retention | cleanup |',
    '| --- | --- | --- | --- | --- |',
    ...dlq.map(
      (t) =>
        `| \`${t.name}\` | \`${t.deadLetterOf}\` | ${t.partitions} | ${formatRetention(t.retentionMs)} | ${t.cleanupPolicy} |`,
    ),
    '',
    '## ZeroMQ realtime topics',
    '',
    'Subscription prefixes of the realtime PUB socket (`realtime.zmq.pubEndpoint`), declared under',
    '`realtime:` in deploy/topics.yaml. These are not bus topics.',
    '',
    ...(catalog.realtime.length === 0
      ? ['None declared yet.']
      : [
          '| topic | schema | description |',
          '| --- | --- | --- |',
          ...catalog.realtime.map((r) => `| \`${r.name}\` | \`${r.schema}\` | ${cell(r.description)} |`),
        ]),
    '',
  ];
  return lines.join('\n');
}
