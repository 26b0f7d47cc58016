import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build, ensureBuilt, staleReason } from './build.mjs';

const root = mkdtempSync(join(tmpdir(), 'qf-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

write(
  'lib/a.ts',
  [
    "import { b } from './b.ts';",
    "import generated from './gen/data.js';",
    "export const asset: string = new URL('./asset.txt', import.meta.url).href;",
    'export const dir: string = import.meta.dirname;',
    'export { b, generated };',
  ].join('\n'),
);
write('lib/b.ts', 'export const b: number = 1;\n');
write('lib/gen/data.js', 'export default 42;\n');
write('lib/a.test.ts', "throw new Error('tests are not compiled');\n");
write('bench/x.ts', 'export const x = 1;\n');

describe('build (dist/)', () => {
  it('is missing before the first build', () => {
    expect(staleReason(root)).toBe('missing');
  });

  it('compiles the sources, not tests or benches, into modules that run and see their source location', async () => {
    expect(await build(root)).toBeGreaterThan(0);
    expect(staleReason(root)).toBeUndefined();
    expect(existsSync(join(root, 'dist/lib/a.test.js'))).toBe(false);
    expect(existsSync(join(root, 'dist/bench'))).toBe(false);
    const a = await import(pathToFileURL(join(root, 'dist/lib/a.js')).href);
    // import.meta means the source file, so files found beside it are the source tree's.
    expect(a.asset).toBe(pathToFileURL(join(root, 'lib/asset.txt')).href);
    expect(a.dir).toBe(join(root, 'lib'));
    // A relative .ts import runs the compiled .js; a plain .js one is the source tree's file.
    expect(a.b).toBe(1);
    expect(a.generated).toBe(42);
  });

  it('is stale once a source is newer, names it, and is current again after a rebuild', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'lib/b.ts'), later, later);
    expect(staleReason(root)).toBe(`stale: ${join('lib', 'b.ts')}`);
    await build(root);
    expect(staleReason(root)).toBeUndefined();
  });

  it('ensureBuilt says dist/ can run, whether it was current or had to be rebuilt', async () => {
    expect(await ensureBuilt(root)).toBe(true);
    const later = new Date(Date.now() + 120_000);
    utimesSync(join(root, 'lib/a.ts'), later, later);
    expect(await ensureBuilt(root)).toBe(true);
    expect(staleReason(root)).toBeUndefined();
  });

  it('ensureBuilt says no when a source does not compile', async () => {
    write('lib/broken.ts', 'export const = ;\n');
    expect(await ensureBuilt(root)).toBe(false);
    rmSync(join(root, 'lib/broken.ts'));
  });

  it('drops the compiled file of a deleted source', async () => {
    write('lib/c.ts', 'export const c = 3;\n');
    await build(root);
    expect(existsSync(join(root, 'dist/lib/c.js'))).toBe(true);
    rmSync(join(root, 'lib/c.ts'));
    expect(staleReason(root)).toBe('stale: source files added or removed');
    await build(root);
    expect(existsSync(join(root, 'dist/lib/c.js'))).toBe(false);
  });
});
