import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config/index.ts';
import { rawTopicName, TOPIC_NAMES } from './topic-names.ts';
import { ensureTopics, loadTopicCatalog, loadTopics, parseRetention } from './topics.ts';
import { renderTopicsDoc, TOPICS_DOC_PATH } from './topics-doc.ts';
import type { Bus, TopicSpec } from './types.ts';

const VENUES = ['binance', 'binance_usdm', 'binance_coinm'];
const STREAMS = ['trade', 'aggTrade', 'kline', 'bookTicker', 'ticker', 'depth', 'unknown'];
const AGREED = [
  ...VENUES.flatMap((v) => STREAMS.map((s) => rawTopicName(v, s))),
  ...Object.values(TOPIC_NAMES),
];
/** Payload messages topics.yaml names that proto/ does not define yet. */
const PENDING_PROTO = new Set(['IndicatorValue']);

describe('deploy/topics.yaml', () => {
  const topics = loadTopics();
  const byName = new Map(topics.map((t) => [t.name, t]));

  it('declares exactly the agreed topics plus one dead-letter topic per raw.* and norm.* topic', () => {
    const withDlq = AGREED.filter((n) => n.startsWith('raw.') || n.startsWith('norm.'));
    expect(withDlq).toHaveLength(26);
    expect(topics.map((t) => t.name).sort()).toEqual([...AGREED, ...withDlq.map((n) => `dlq.${n}`)].sort());
    for (const n of withDlq) expect(byName.get(`dlq.${n}`)?.deadLetterOf).toBe(n);
  });

  it('keys market topics by VENUE:SYMBOL', () => {
    for (const t of topics) {
      if (/^(raw|norm|bars|state|alerts|cmd)\b/.test(t.name)) expect(t.key, t.name).toBe('VENUE:SYMBOL');
    }
  });

  it('compacts state changelogs, keeps them forever, and co-partitions them with their input', () => {
    const inputs = {
      'state.dedup': 'norm.trade',
      'state.sequencer': 'norm.trade',
      'state.bars': 'norm.trade.sequenced',
    };
    for (const [state, input] of Object.entries(inputs)) {
      expect(byName.get(state)).toMatchObject({ cleanupPolicy: 'compact', retentionMs: -1 });
      expect(byName.get(state)?.partitions).toBe(byName.get(input)?.partitions);
    }
  });

  it('names payload messages that proto/quantforge/v1 defines', () => {
    const protoDir = join(import.meta.dirname, '../../proto/quantforge/v1');
    const messages = new Set(
      readdirSync(protoDir).flatMap((f) =>
        [...readFileSync(join(protoDir, f), 'utf8').matchAll(/^message (\w+)/gm)].map((m) => m[1]),
      ),
    );
    for (const t of topics) {
      if (t.schema === 'raw' || t.schema === 'opaque' || PENDING_PROTO.has(t.schema)) continue;
      expect(messages.has(t.schema), `${t.name}: ${t.schema}`).toBe(true);
    }
  });

  it('docs/topics.md is what scripts/gen-topics-doc.ts generates (run it after editing topics.yaml)', () => {
    expect(readFileSync(TOPICS_DOC_PATH, 'utf8')).toBe(renderTopicsDoc(loadTopicCatalog()));
  });
});

describe('parseRetention', () => {
  it.each([
    ['7d', 604_800_000],
    ['12h', 43_200_000],
    ['30m', 1_800_000],
    ['1w', 604_800_000],
    ['forever', -1],
    [86_400_000, 86_400_000],
  ] as const)('%s -> %d', (input, ms) => expect(parseRetention(input)).toBe(ms));
});

describe('loadTopics on a bad file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qf-topics-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const header =
    'defaults: { partitions: 3, retention: 7d, cleanupPolicy: delete, key: VENUE:SYMBOL }\n' +
    'deadLetter: { partitions: 1, retention: 30d, cleanupPolicy: delete }\n';

  function errorOf(yaml: string): string {
    const path = join(dir, 'topics.yaml');
    writeFileSync(path, header + yaml);
    try {
      loadTopics(path);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  }

  it('names the file and key path of every problem', () => {
    const message = errorOf(
      'topics:\n  - { name: a.b, partitions: "6", retention: 7days, schema: Trade, description: x, partiton: 2 }\n',
    );
    expect(message).toContain(`${join(dir, 'topics.yaml')}: topics[0].partitions: expected number (got "6")`);
    expect(message).toContain('topics[0].retention: expected a duration like 7d');
    expect(message).toContain('unknown key topics[0].partiton (did you mean partitions?)');
  });

  it('rejects a placeholder without an expand list, and duplicate names', () => {
    expect(errorOf('topics:\n  - { name: "raw.{venue}", schema: raw, description: x }\n')).toContain(
      'topics[0].name: placeholder in raw.{venue} has no list under expand',
    );
    expect(
      errorOf(
        'topics:\n  - { name: a.b, schema: raw, description: x, dlq: true }\n  - { name: dlq.a.b, schema: raw, description: y }\n',
      ),
    ).toContain('topic dlq.a.b is declared twice');
  });
});

describe('ensureTopics', () => {
  it('hands the bus the broker settings of every topic', async () => {
    const seen: TopicSpec[][] = [];
    const bus = {
      ensureTopics: async (specs: readonly TopicSpec[]) => void seen.push([...specs]),
    } as unknown as Bus;
    const declared = loadTopics();
    await ensureTopics(bus, declared);
    expect(seen).toHaveLength(1);
    expect(declared.length).toBeGreaterThan(60);
    expect(seen[0]?.map((t) => t.name)).toEqual(declared.map((t) => t.name));
    expect(seen[0]?.find((t) => t.name === 'state.bars')).toEqual({
      name: 'state.bars',
      partitions: 6,
      retentionMs: -1,
      cleanupPolicy: 'compact',
    });
  });
});
