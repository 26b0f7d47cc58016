import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolOutcome } from '../tools/types.ts';
import { createKnowledgeBase, excerptOf, type KnowledgeBase } from './knowledge-base.ts';
import { createKnowledgeSearchTool } from './knowledge-tool.ts';

const RSI = `# RSI

## Definition
The relative strength index compares average gains with average losses over a period (14 by default)
and maps the ratio to 0..100. It is computed from closing prices.

## Overbought and oversold
Readings above 70 are called overbought and below 30 oversold. In a strong trend the RSI can stay
overbought for a long time, so a level alone is not a signal to sell.

## Divergence
A bearish divergence is when price makes a higher high while the RSI makes a lower high: momentum is
fading under a rising price. A bullish divergence is the mirror image at lows. State both swing points
with their times when you report one.
`;

const BANDS = `# Bollinger bands

## Construction
A moving average of closing prices (20 periods) with bands two standard deviations above and below.

## Squeeze
When the bands narrow, volatility is low; a squeeze often precedes a large move in either direction.
`;

const FUNDING = `# Funding

## Perpetual funding
Perpetual futures charge funding every eight hours between longs and shorts; the rate follows the
premium of the perpetual over the index. Our house term for this premium is zanzibar-basis.

## RSI on funding
Some traders compute an RSI over the funding rate series itself.
`;

const textOf = (o: ToolOutcome) => o.content.map((b) => (b.type === 'text' ? b.text : '')).join('\n');

describe('knowledge base', () => {
  let dir: string;
  let kb: KnowledgeBase;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qf-knowledge-'));
    mkdirSync(join(dir, 'charting'));
    mkdirSync(join(dir, 'research'));
    mkdirSync(join(dir, 'empty'));
    mkdirSync(join(dir, '.hidden'));
    writeFileSync(join(dir, 'charting', 'rsi.md'), RSI);
    writeFileSync(join(dir, 'charting', 'bollinger.md'), BANDS);
    writeFileSync(join(dir, 'charting', 'notes.txt'), 'not markdown: zanzibar-basis');
    writeFileSync(join(dir, 'research', 'funding.md'), FUNDING);
    kb = createKnowledgeBase(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the namespace folders', () => {
    expect(kb.namespaces()).toEqual(['charting', 'empty', 'research']);
  });

  it('ranks the relevant section first, with file, heading, excerpt and score', async () => {
    const hits = await kb.search('charting', 'bearish divergence between price and RSI', 3);
    expect(hits.length).toBeGreaterThan(1);
    expect(hits[0]).toMatchObject({ file: 'rsi.md', heading: 'RSI › Divergence' });
    expect(hits[0]!.excerpt).toContain('bearish divergence');
    expect(hits[0]!.excerpt.length).toBeLessThanOrEqual(242);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);

    const squeeze = await kb.search('charting', 'volatility squeeze', 1);
    expect(squeeze.map((h) => [h.file, h.heading])).toEqual([['bollinger.md', 'Bollinger bands › Squeeze']]);
    // A heading word counts: "oversold" is in one heading.
    expect((await kb.search('charting', 'oversold', 1))[0]?.heading).toBe('RSI › Overbought and oversold');
  });

  it('tolerates a prefix and a typo in a long word', async () => {
    expect((await kb.search('charting', 'bolinger construct', 1))[0]?.heading).toBe(
      'Bollinger bands › Construction',
    );
  });

  it('never returns another namespace’s text', async () => {
    expect(await kb.search('charting', 'zanzibar-basis perpetual funding premium', 5)).toEqual([]);
    const rsiInResearch = await kb.search('research', 'RSI', 5);
    expect(rsiInResearch.map((h) => h.file)).toEqual(['funding.md']);
    const rsiInCharting = await kb.search('charting', 'RSI funding', 10);
    expect(rsiInCharting.length).toBeGreaterThan(0);
    for (const hit of rsiInCharting) {
      expect(hit.file).not.toBe('funding.md');
      expect(hit.text).not.toMatch(/funding/i);
    }
  });

  it('finds nothing for an empty query or namespace, and refuses a bad limit', async () => {
    expect(await kb.search('charting', '   ')).toEqual([]);
    expect(await kb.search('empty', 'RSI')).toEqual([]);
    await expect(kb.search('charting', 'RSI', 0)).rejects.toThrow('limit: 0 is not a whole number in 1..50');
  });

  it('names the valid namespaces when asked for a missing one', async () => {
    await expect(kb.search('trading', 'RSI')).rejects.toThrow(
      'unknown knowledge namespace "trading"; valid: charting, empty, research',
    );
    await expect(kb.search('.hidden', 'RSI')).rejects.toThrow(/unknown knowledge namespace/);
    expect(() => createKnowledgeBase(join(dir, 'nope'))).toThrow(
      `cannot read the knowledge dir ${join(dir, 'nope')}`,
    );
  });

  it('excerpts around the first match, on word boundaries', () => {
    const text = `${'alpha '.repeat(100)}needle ${'omega '.repeat(100)}`;
    const excerpt = excerptOf(text, ['needle'], 60);
    expect(excerpt).toMatch(/^….*needle.*…$/);
    expect(excerpt).not.toMatch(/…(lpha|pha|mega)/);
    expect(excerptOf('short text', ['x'])).toBe('short text');
  });

  describe('knowledge_search tool', () => {
    it('is a model tool over its own namespace only, taking a query and a limit', async () => {
      const tool = createKnowledgeSearchTool(kb, 'charting');
      expect(tool.definition.name).toBe('knowledge_search');
      expect(tool.definition.input_schema).toMatchObject({
        type: 'object',
        required: ['query'],
        additionalProperties: false,
      });
      expect(Object.keys(tool.definition.input_schema.properties as object)).toEqual(['query', 'limit']);

      const found = await tool.run({ query: 'RSI divergence', limit: 1 });
      expect(found.isError).toBe(false);
      expect(textOf(found)).toMatch(
        /^\[1\] rsi\.md § RSI › Divergence \(score \d+\.\d\d\)\nA bearish divergence/,
      );
      expect(textOf(found)).not.toContain('[2]');

      const other = await tool.run({ query: 'zanzibar-basis funding' });
      expect(textOf(other)).toBe('No section of the charting knowledge matches "zanzibar-basis funding".');
    });

    it('refuses a namespace argument and bad input, naming the field', async () => {
      const tool = createKnowledgeSearchTool(kb, 'charting');
      const forged = await tool.run({ query: 'funding', namespace: 'research' });
      expect(forged.isError).toBe(true);
      expect(textOf(forged)).toMatch(/namespace/);
      const empty = await tool.run({ limit: 2 });
      expect(empty.isError).toBe(true);
      expect(textOf(empty)).toMatch(/^knowledge_search: query: /);
      expect((await tool.run({ query: 'RSI', limit: 99 })).isError).toBe(true);
    });

    it('cannot be built for a missing namespace', () => {
      expect(() => createKnowledgeSearchTool(kb, 'trading')).toThrow(
        'unknown knowledge namespace "trading"; valid: charting, empty, research',
      );
    });
  });
});
