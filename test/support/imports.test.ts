/**
 * test/support is for tests: test files, the `testing/` helpers beside the code they serve,
 * benches and dev scripts may import it; product code may not (it would ship test helpers and
 * point a lower layer at the top of the tree).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './index.ts';

const SKIP = new Set(['node_modules', 'data', '.git', '.cache', '.run', 'gen']);
const SUPPORT = path.join(REPO_ROOT, 'test', 'support');

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.(ts|mts|mjs)$/.test(entry.name)) yield full;
  }
}

/** Test code: test files and helpers, benches and dev scripts. */
function isTestCode(file: string): boolean {
  const rel = path.relative(REPO_ROOT, file).split(path.sep);
  const name = rel.at(-1)!;
  return (
    rel[0] === 'test' ||
    rel[0] === 'bench' ||
    rel.includes('testing') ||
    rel.includes('scripts') ||
    /\.test(-helper)?\.ts$/.test(name) ||
    name === 'testing.ts' ||
    name === 'test-data.ts'
  );
}

function importsSupport(file: string): boolean {
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
    if (!spec!.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), spec!);
    if (target === SUPPORT || target.startsWith(SUPPORT + path.sep)) return true;
  }
  return false;
}

describe('test/support', () => {
  it('is imported by test code only', () => {
    const users = [...sources(REPO_ROOT)].filter(importsSupport);
    expect(users.length).toBeGreaterThan(10); // the check sees the imports it is about
    const product = users.filter((f) => !isTestCode(f)).map((f) => path.relative(REPO_ROOT, f));
    expect(product, 'product modules importing test/support').toEqual([]);
  });
});
