/** The topic name constants and deploy/topics.yaml name the same topics. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DLQ_PREFIX, deadLetterTopic, RAW_TOPIC_TEMPLATE, rawTopicName, TOPIC_NAMES } from './topic-names.ts';
import { DEFAULT_TOPICS_PATH, loadTopics } from './topics.ts';

interface YamlEntry {
  name: string;
  expand?: Record<string, string[]>;
}
const entries = (parse(readFileSync(DEFAULT_TOPICS_PATH, 'utf8')) as { topics: YamlEntry[] }).topics;
const declared = entries.map((e) => e.name);
const constants: string[] = [...Object.values(TOPIC_NAMES), RAW_TOPIC_TEMPLATE];

describe('topic name constants', () => {
  it('every constant is a topic deploy/topics.yaml declares', () => {
    const undeclared = constants.filter((n) => !declared.includes(n));
    expect(undeclared, 'constants in pipeline/bus/topic-names.ts missing from deploy/topics.yaml').toEqual(
      [],
    );
  });

  it('every topic deploy/topics.yaml declares has a constant', () => {
    const unnamed = declared.filter((n) => !constants.includes(n));
    expect(unnamed, 'topics in deploy/topics.yaml with no constant in pipeline/bus/topic-names.ts').toEqual(
      [],
    );
  });

  it('names each constant once', () => {
    expect(new Set(constants).size).toBe(constants.length);
  });

  it('rawTopicName gives the raw topics the template expands to', () => {
    const raw = entries.find((e) => e.name === RAW_TOPIC_TEMPLATE)!;
    const { venue: venues = [], stream: streams = [] } = raw.expand ?? {};
    const expected = venues.flatMap((v) => streams.map((s) => rawTopicName(v.toUpperCase(), s)));
    const loaded = loadTopics()
      .filter((t) => t.deadLetterOf === undefined && t.name.startsWith('raw.'))
      .map((t) => t.name);
    expect(expected.length).toBeGreaterThan(0);
    expect(loaded.sort()).toEqual(expected.sort());
  });

  it('dead-letter topics are the DLQ_PREFIX names of their topics', () => {
    const dlq = loadTopics().filter((t) => t.deadLetterOf !== undefined);
    expect(dlq.length).toBeGreaterThan(0);
    for (const t of dlq) {
      expect(t.name).toBe(deadLetterTopic(t.deadLetterOf!));
      expect(t.name.startsWith(DLQ_PREFIX)).toBe(true);
    }
  });
});
