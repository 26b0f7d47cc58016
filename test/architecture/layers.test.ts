/**
 * The dependency rule of DESIGN.md, checked on every file (tests included):
 *   core ← proto ← indicators ← pipeline ← mcp-servers ← agents ← gateway ← app ← cli
 * A layer imports only itself and the layers to its left; `app/` is the only place that wires
 * layers together, and `cli/` reaches everything through `app/` (and the kernel, `core/`).
 * Product code never imports the test, bench, script or deploy folders. No file is part of an
 * import cycle.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph } from './import-graph.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The layers, lowest first. */
const LAYERS = [
  'core',
  'proto',
  'indicators',
  'pipeline',
  'mcp-servers',
  'agents',
  'gateway',
  'app',
  'cli',
] as const;
type Layer = (typeof LAYERS)[number];

/** Folders outside the layers: they may import any layer; no layer imports them. */
const OUTSIDE = ['test', 'bench', 'eval', 'scripts', 'deploy', 'bin'];

const layerOf = (file: string): Layer | undefined =>
  LAYERS.find((layer) => file === layer || file.startsWith(`${layer}/`));
const rank = (layer: Layer): number => LAYERS.indexOf(layer);

/** Tests and their helpers: `*.test.ts`, and helpers in a `testing/` folder beside the code. */
const isTest = (file: string): boolean => /\.test\.ts$|\/testing\//.test(file);

/** What `file` (in `from`) may not import `target` for, or undefined when it may. */
function violation(file: string, target: string): string | undefined {
  const from = layerOf(file);
  if (from === undefined) return undefined;
  const top = target.split('/')[0]!;
  if (OUTSIDE.includes(top))
    return `${file} imports ${target}: product code (${from}/) does not import ${top}/ (tests may import test/support)`;
  const to = layerOf(target);
  if (to === undefined) return undefined;
  if (rank(to) > rank(from))
    return `${file} imports ${target}: ${from}/ is below ${to}/ (order: ${LAYERS.join(' ← ')})`;
  // The command's own code goes through app/; its end-to-end tests may check the store directly.
  if (from === 'cli' && !isTest(file) && to !== 'cli' && to !== 'app' && to !== 'core')
    return `${file} imports ${target}: cli/ parses flags and calls into app/ (and core/), not ${to}/`;
  return undefined;
}

describe('architecture', () => {
  const graph = importGraph(ROOT);

  it('reads the whole tree', () => {
    expect(graph.size).toBeGreaterThan(300);
    for (const layer of ['core', 'proto', 'indicators', 'pipeline', 'mcp-servers', 'app', 'cli'])
      expect(
        [...graph.keys()].some((f) => f.startsWith(`${layer}/`)),
        layer,
      ).toBe(true);
  });

  it('layers import only downwards', () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const why = violation(file, target);
        // A test may use test/support; nothing else outside the layers.
        if (why && !(isTest(file) && target.startsWith('test/support/'))) wrong.push(why);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps test helpers in testing/ folders or test/support/, one convention', () => {
    const misplaced = [...graph.keys()].filter(
      (f) => /(^|[/-])testing\.ts$|test-helper|helpers?\.ts$/.test(f) && !isTest(f) && !f.startsWith('test/'),
    );
    expect(misplaced).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('the rule catches what it should', () => {
    expect(violation('pipeline/bus/topics.ts', 'app/config/index.ts')).toMatch(/pipeline\/ is below app\//);
    expect(violation('core/config/load.ts', 'pipeline/bus/config.ts')).toMatch(/core\/ is below pipeline\//);
    expect(violation('cli/commands/bars.ts', 'pipeline/store/index.ts')).toMatch(/calls into app/);
    expect(violation('cli/commands/bars.test.ts', 'pipeline/store/index.ts')).toBeUndefined();
    expect(violation('app/commands/topics.ts', 'scripts/gen-topics-doc.ts')).toMatch(
      /does not import scripts/,
    );
    expect(violation('app/platform.ts', 'pipeline/runtime/index.ts')).toBeUndefined();
    expect(
      findCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['a.ts']],
          ['c.ts', ['a.ts']],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
  });
});
