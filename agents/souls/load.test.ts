import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QuantForgeError } from '../../core/errors.ts';
import { allowedTools, type KnownNames, loadSouls, type SoulError, type SoulProblem } from './index.ts';

const KNOWN: KnownNames = {
  tools: [
    'mcp__market-data__get_bars',
    'mcp__market-data__get_quote',
    'mcp__indicators__compute_indicator',
    'mcp__indicators__get_series',
    'mcp__workspace__add_drawing',
    'mcp__workspace__get_workspace',
  ],
  models: ['default', 'fast', 'deep'],
  namespaces: ['charting', 'trading-basics'],
  tiers: ['local', 'standard', 'pro'],
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A souls folder holding `files` (name → text). */
function soulsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'qf-souls-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A soul file from front-matter lines and a persona. */
function soul(frontMatter: string, persona = 'You are careful.'): string {
  return `---\n${frontMatter.trim()}\n---\n${persona}\n`;
}

const minimal = (name: string, extra = '') =>
  soul(`name: ${name}\ndescription: ${name} soul\ntools: []\n${extra}`);

/** The problems `loadSouls` throws for `dir`, as `[file name, key, message]` plus `valid`. */
function problemsOf(dir: string, known: KnownNames = KNOWN): SoulProblem[] {
  try {
    loadSouls(dir, known);
  } catch (error) {
    expect(error).toBeInstanceOf(QuantForgeError);
    expect((error as Error).name).toBe('SoulError');
    return [...(error as SoulError).problems].map((p) => ({ ...p, file: p.file.slice(dir.length + 1) }));
  }
  throw new Error('loadSouls did not throw');
}

describe('loadSouls', () => {
  it('reads the front matter and persona, with defaults for what the file leaves out', () => {
    const dir = soulsDir({
      'coordinator.md': soul(
        `
name: coordinator
description: Routes.
tools: mcp__market-data__*, mcp__workspace__get_workspace
subagents: [chartist]
rag: trading-basics
fallbackModels: [fast]
limits: { toolRounds: 3 }
thinking: { budgetTokens: 2048 }
`,
        '# Coordinator\n\nBe brief.',
      ),
      'chartist.md': minimal('chartist', 'model: deep\ntiers: [pro]'),
      'README.md': 'not a soul',
    });
    mkdirSync(join(dir, 'knowledge'));
    const souls = loadSouls(dir, KNOWN);
    expect([...souls.keys()]).toEqual(['chartist', 'coordinator']);
    const c = souls.get('coordinator');
    expect(c).toEqual({
      name: 'coordinator',
      description: 'Routes.',
      file: join(dir, 'coordinator.md'),
      model: 'default',
      fallbackModels: ['fast'],
      tools: ['mcp__market-data__*', 'mcp__workspace__get_workspace'],
      subagents: ['chartist'],
      rag: 'trading-basics',
      limits: { toolRounds: 3, outputTokens: 4096, wallTimeMs: 120_000 },
      tiers: ['local', 'standard', 'pro'],
      thinking: { budgetTokens: 2048 },
      persona: '# Coordinator\n\nBe brief.',
    });
    expect(souls.get('chartist')).toMatchObject({ model: 'deep', tiers: ['pro'], tools: [], subagents: [] });
    expect(souls.get('chartist')).not.toHaveProperty('rag');
    expect(allowedTools(c!, KNOWN.tools)).toEqual([
      'mcp__market-data__get_bars',
      'mcp__market-data__get_quote',
      'mcp__workspace__get_workspace',
    ]);
  });

  it('names a tool pattern that matches nothing, with the tools of the server it named', () => {
    const dir = soulsDir({ 'a.md': minimal('a').replace('tools: []', 'tools: [mcp__market-data__get_bar]') });
    expect(problemsOf(dir)).toEqual([
      {
        file: 'a.md',
        key: 'tools[0]',
        message: '"mcp__market-data__get_bar" matches no tool',
        valid: ['mcp__market-data__get_bars', 'mcp__market-data__get_quote'],
      },
    ]);
  });

  it('names a pattern of an unknown server, a non-MCP tool and a delegation listed as a tool', () => {
    const dir = soulsDir({
      'a.md': minimal('a').replace('tools: []', 'tools: mcp__research__*, Read, delegate_to_b'),
    });
    const servers = ['mcp__market-data__*', 'mcp__indicators__*', 'mcp__workspace__*'];
    expect(problemsOf(dir)).toEqual([
      { file: 'a.md', key: 'tools[0]', message: '"mcp__research__*" matches no tool', valid: servers },
      {
        file: 'a.md',
        key: 'tools[1]',
        message: '"Read" is not an MCP tool name (mcp__<server>__<tool>)',
        valid: servers,
      },
      {
        file: 'a.md',
        key: 'tools[2]',
        message: '"delegate_to_b" is not a tool to list: delegation is declared under subagents',
        valid: servers,
      },
    ]);
  });

  it('names an unknown subagent, listing the other souls', () => {
    const dir = soulsDir({ 'a.md': minimal('a', 'subagents: [chartist]'), 'b.md': minimal('b') });
    expect(problemsOf(dir)).toEqual([
      { file: 'a.md', key: 'subagents[0]', message: 'no soul "chartist"', valid: ['b'] },
    ]);
  });

  it('finds each delegation cycle once, a soul delegating to itself included', () => {
    const dir = soulsDir({
      'a.md': minimal('a', 'subagents: [b]'),
      'b.md': minimal('b', 'subagents: [c]'),
      'c.md': minimal('c', 'subagents: [a]'),
      'd.md': minimal('d', 'subagents: [d, a]'),
    });
    expect(problemsOf(dir).map((p) => [p.file, p.key, p.message])).toEqual([
      ['a.md', 'subagents', 'delegation cycle a → b → c → a'],
      ['d.md', 'subagents', 'delegation cycle d → d'],
    ]);
  });

  it('names a bad model key in model and in fallbackModels, listing the keys', () => {
    const dir = soulsDir({ 'a.md': minimal('a', 'model: opus\nfallbackModels: [fast, haiku]') });
    expect(problemsOf(dir)).toEqual([
      { file: 'a.md', key: 'model', message: 'unknown model key "opus"', valid: KNOWN.models },
      { file: 'a.md', key: 'fallbackModels[1]', message: 'unknown model key "haiku"', valid: KNOWN.models },
    ]);
  });

  it('names an unknown knowledge namespace and an unknown tier', () => {
    const dir = soulsDir({ 'a.md': minimal('a', 'rag: charts\ntiers: [pro, gold]') });
    expect(problemsOf(dir)).toEqual([
      { file: 'a.md', key: 'rag', message: 'no knowledge namespace "charts"', valid: KNOWN.namespaces },
      { file: 'a.md', key: 'tiers[1]', message: 'unknown licence tier "gold"', valid: KNOWN.tiers },
    ]);
  });

  it('names a YAML syntax error with its line in the file', () => {
    const dir = soulsDir({ 'a.md': soul('name: a\ndescription: [unclosed\ntools: []') });
    const [problem, ...rest] = problemsOf(dir);
    expect(rest).toEqual([]);
    expect(problem?.file).toBe('a.md');
    expect(problem?.key).toBe('front matter');
    // Line 3 opens a flow sequence; line 4 is where it is found unclosed.
    expect(problem?.message).toMatch(/^YAML syntax error at line 4, column 1: [A-Z][^\n]+$/);
  });

  it('names missing and extra keys, listing the valid keys', () => {
    const dir = soulsDir({
      'a.md': soul('name: a\ncolor: blue\nlimits: { turns: 3 }'),
    });
    const problems = problemsOf(dir);
    expect(problems.map((p) => [p.key, p.message])).toEqual([
      ['description', 'missing (required)'],
      ['tools', 'missing (required)'],
      ['limits.turns', 'unknown key'],
      ['color', 'unknown key'],
    ]);
    expect(problems[2]?.valid).toEqual(['toolRounds', 'outputTokens', 'wallTimeMs']);
    expect(problems[3]?.valid).toContain('fallbackModels');
    expect(problems[1]?.valid?.[0]).toMatch(
      /^a list or comma-separated string of mcp__<server>__<tool> names/,
    );
  });

  it('names values of the wrong shape with what is valid', () => {
    const dir = soulsDir({
      'a.md': minimal('a', 'limits: { toolRounds: 0, outputTokens: 1024 }\nthinking: { budgetTokens: 2000 }'),
      'B.md': soul('name: B\ndescription: x\ntools: []'),
    });
    const problems = problemsOf(dir);
    expect(problems.map((p) => [p.file, p.key, p.valid?.[0]])).toEqual([
      [
        'B.md',
        'name',
        'lowercase letters, digits and "-", starting with a letter, the same as the file name',
      ],
      ['a.md', 'limits.toolRounds', 'an integer from 1 to 50'],
      ['a.md', 'thinking.budgetTokens', 'an integer from 1024, below limits.outputTokens'],
    ]);
    expect(problems[2]?.message).toBe('2000 is not below limits.outputTokens (1024)');
  });

  it('names a name that differs from its file', () => {
    const dir = soulsDir({ 'chartist.md': minimal('charts') });
    expect(problemsOf(dir)).toEqual([
      {
        file: 'chartist.md',
        key: 'name',
        message: '"charts" differs from the file name',
        valid: ['chartist'],
      },
    ]);
  });

  it('names a file without front matter, with an unclosed one, or with no persona', () => {
    const dir = soulsDir({
      'a.md': '# Just a persona\n',
      'b.md': '---\nname: b\n',
      'c.md': soul('name: c\ndescription: c\ntools: []', '   '),
      'd.md': '---\n- a list\n---\npersona\n',
    });
    expect(problemsOf(dir).map((p) => [p.file, p.key, p.message])).toEqual([
      ['a.md', 'front matter', 'missing (no "---" first line)'],
      ['b.md', 'front matter', 'no closing "---" line'],
      ['c.md', 'persona', 'empty'],
      ['d.md', 'front matter', 'not a map of keys'],
    ]);
  });

  it('lists every problem of every file in one error, one line each, with long valid lists capped', () => {
    const tools = Array.from({ length: 30 }, (_, i) => `mcp__big__tool_${String(i).padStart(2, '0')}`);
    const dir = soulsDir({
      'a.md': minimal('a', 'model: opus'),
      'b.md': minimal('b').replace('tools: []', 'tools: [mcp__big__nope]'),
    });
    let message = '';
    try {
      loadSouls(dir, { ...KNOWN, tools });
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    expect(lines[0]).toBe('2 problems in the soul files:');
    expect(lines[1]).toBe(
      `  ${join(dir, 'a.md')}: model: unknown model key "opus"; valid: default, fast, deep`,
    );
    expect(lines[2]).toBe(
      `  ${join(dir, 'b.md')}: tools[0]: "mcp__big__nope" matches no tool; valid: ${tools.slice(0, 12).join(', ')}, … (18 more)`,
    );
  });

  it('fails on a missing or empty folder', () => {
    const missing = join(tmpdir(), 'qf-souls-none-such');
    expect(() => loadSouls(missing, KNOWN)).toThrow(`${missing}: souls folder: cannot read it`);
    expect(() => loadSouls(soulsDir({ 'README.md': '# souls' }), KNOWN)).toThrow(
      /souls folder: holds no soul file; valid: <name>\.md files/,
    );
  });
});
