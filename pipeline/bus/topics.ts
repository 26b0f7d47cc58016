/**
 * Topics, declared once in deploy/topics.yaml and created from it. `loadTopics` validates the
 * file (errors name the file and key path) and expands templates and dead-letter topics into
 * one flat list; `ensureTopics` creates them on a bus.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError, type ConfigIssue, loadYamlFile } from '../../core/config/index.ts';
import { deadLetterTopic } from './topic-names.ts';
import type { Bus, TopicSpec } from './types.ts';

/** deploy/topics.yaml of this repository. */
export const DEFAULT_TOPICS_PATH = fileURLToPath(new URL('../../deploy/topics.yaml', import.meta.url));

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `7d` -> 604800000; `forever` -> -1; a number is milliseconds. */
export function parseRetention(value: string | number): number {
  if (typeof value === 'number') return value;
  if (value === 'forever') return -1;
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(value);
  if (!match) throw new RangeError(`bad retention ${value}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const RETENTION_HELP =
  'expected a duration like 7d, 12h, 30m (units ms, s, m, h, d, w), forever, or milliseconds';
const retentionSchema = z
  .union(
    [
      z.number().int().min(-1, RETENTION_HELP),
      z.string().regex(/^(\d+(ms|s|m|h|d|w)|forever)$/, RETENTION_HELP),
    ],
    {
      error: RETENTION_HELP,
    },
  )
  .describe('How long records are kept.');
const cleanupPolicySchema = z.enum(['delete', 'compact', 'compact,delete']);
const partitionsSchema = z.number().int().min(1).max(10_000);
/** What a topic's record key holds. */
export const TOPIC_KEYS = ['VENUE:SYMBOL', 'USER_ID', 'JOB_ID'] as const;
const keySchema = z.enum(TOPIC_KEYS);
const payloadSchema = z
  .string()
  .regex(/^([A-Z][A-Za-z0-9]*|raw|opaque)$/, 'expected a proto message name (Trade, Bar...), raw or opaque');
const topicNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.([A-Za-z0-9_]+|\{[a-z]+\}))*$/, 'expected dot-separated words like norm.trade')
  .max(200);

const topicEntrySchema = z.strictObject({
  name: topicNameSchema,
  expand: z.record(z.string(), z.array(z.string().regex(/^[A-Za-z0-9_]+$/)).min(1)).optional(),
  partitions: partitionsSchema.optional(),
  retention: retentionSchema.optional(),
  cleanupPolicy: cleanupPolicySchema.optional(),
  replicationFactor: z.number().int().min(1).optional(),
  key: keySchema.optional(),
  schema: payloadSchema,
  dlq: z.boolean().default(false),
  description: z.string().min(1),
});

const realtimeTopicSchema = z.strictObject({
  name: z.string().min(1),
  schema: payloadSchema,
  description: z.string().min(1),
});

const topicsFileSchema = z.strictObject({
  defaults: z.strictObject({
    partitions: partitionsSchema,
    retention: retentionSchema,
    cleanupPolicy: cleanupPolicySchema,
    key: keySchema,
    replicationFactor: z.number().int().min(1).optional(),
  }),
  deadLetter: z.strictObject({
    partitions: partitionsSchema,
    retention: retentionSchema,
    cleanupPolicy: cleanupPolicySchema,
  }),
  topics: z.array(topicEntrySchema).min(1),
  realtime: z.array(realtimeTopicSchema).default([]),
});

/** A bus topic with what deploy/topics.yaml says about it beyond the broker settings. */
export interface TopicDeclaration extends TopicSpec {
  readonly key: (typeof TOPIC_KEYS)[number];
  /** Payload message in the Envelope, `raw` (venue bytes) or `opaque` (processor-owned bytes). */
  readonly schema: string;
  readonly description: string;
  /** Set on dead-letter topics: the topic whose poison messages land here. */
  readonly deadLetterOf?: string;
}

/** A ZeroMQ realtime topic (a PUB/SUB prefix, not a bus topic). */
export type RealtimeTopic = z.output<typeof realtimeTopicSchema>;

/** Everything deploy/topics.yaml declares. */
export interface TopicCatalog {
  readonly topics: readonly TopicDeclaration[];
  readonly realtime: readonly RealtimeTopic[];
}

/** Every combination of the `expand` lists, as variable -> value bindings. */
function bindings(expand: Readonly<Record<string, readonly string[]>>): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [variable, values] of Object.entries(expand)) {
    out = out.flatMap((b) => values.map((v) => ({ ...b, [variable]: v })));
  }
  return out;
}

function fill(template: string, binding: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-z]+)\}/g, (whole, variable: string) => binding[variable] ?? whole);
}

/** Expands templates and dead-letter topics; problems (bad placeholders, duplicates) go to `issues`. */
function expandTopics(
  file: z.output<typeof topicsFileSchema>,
  label: string,
  issues: ConfigIssue[],
): TopicDeclaration[] {
  const out: TopicDeclaration[] = [];
  const deadLetters: TopicDeclaration[] = [];
  const d = file.defaults;
  file.topics.forEach((entry, i) => {
    const all = bindings(entry.expand ?? {});
    if (all.some((b) => fill(entry.name, b).includes('{'))) {
      const message = `placeholder in ${entry.name} has no list under expand (got ${JSON.stringify(entry.expand ?? {})})`;
      issues.push({ source: label, path: `topics[${i}].name`, message });
      return;
    }
    for (const binding of all) {
      const name = fill(entry.name, binding);
      const replicationFactor = entry.replicationFactor ?? d.replicationFactor;
      const spec: TopicDeclaration = {
        name,
        partitions: entry.partitions ?? d.partitions,
        retentionMs: parseRetention(entry.retention ?? d.retention),
        cleanupPolicy: entry.cleanupPolicy ?? d.cleanupPolicy,
        ...(replicationFactor === undefined ? {} : { replicationFactor }),
        key: entry.key ?? d.key,
        schema: entry.schema,
        description: fill(entry.description, binding),
      };
      out.push(spec);
      if (!entry.dlq) continue;
      deadLetters.push({
        ...spec,
        name: deadLetterTopic(name),
        partitions: file.deadLetter.partitions,
        retentionMs: parseRetention(file.deadLetter.retention),
        cleanupPolicy: file.deadLetter.cleanupPolicy,
        description: `Poison messages of ${name}, with the reason in headers.`,
        deadLetterOf: name,
      });
    }
  });
  const all = [...out, ...deadLetters];
  const seen = new Set<string>();
  for (const t of all) {
    if (seen.has(t.name))
      issues.push({ source: label, path: 'topics', message: `topic ${t.name} is declared twice` });
    seen.add(t.name);
  }
  return all;
}

/**
 * Reads deploy/topics.yaml (or `path`) with every topic expanded, plus the realtime topics.
 * @throws ConfigError naming the file and key path of every problem.
 */
export function loadTopicCatalog(path: string = DEFAULT_TOPICS_PATH): TopicCatalog {
  const file = loadYamlFile(path, topicsFileSchema);
  const issues: ConfigIssue[] = [];
  const topics = expandTopics(file, path, issues);
  if (issues.length > 0) throw new ConfigError(issues);
  return { topics, realtime: file.realtime };
}

/**
 * Every bus topic declared in deploy/topics.yaml (or `path`), templates and dead-letter topics expanded.
 * @example
 * await ensureTopics(bus, loadTopics());
 */
export function loadTopics(path?: string): TopicDeclaration[] {
  return [...loadTopicCatalog(path).topics];
}

/** Creates the declared topics that are missing on `bus` (existing ones are left alone). */
export async function ensureTopics(bus: Bus, specs: readonly TopicSpec[]): Promise<void> {
  await bus.ensureTopics(
    specs.map(({ name, partitions, retentionMs, cleanupPolicy, replicationFactor }) => ({
      name,
      partitions,
      retentionMs,
      cleanupPolicy,
      ...(replicationFactor === undefined ? {} : { replicationFactor }),
    })),
  );
}
