import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPage, buildSingleHtml } from './build-web.mjs';

const root = mkdtempSync(join(tmpdir(), 'qf-build-web-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

write('page/greet.ts', "export const greet = (name: string): string => 'hello ' + name + ' </script>';\n");
write('page/main.ts', "import { greet } from './greet.ts';\ndocument.title = greet('page');\n");
write('page/styles.css', 'body { color: red; }\n');
write(
  'page/index.html',
  '<!doctype html><html><head><link rel="stylesheet" href="./styles.css" /></head>' +
    '<body><p>page</p><script type="module" src="./main.ts"></script></body></html>\n',
);

/** The local files an HTML page refers to. */
const refsOf = (html: string): string[] =>
  [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);

describe('buildPage', () => {
  it('writes index.html pointing at hashed bundles that exist, with a source map', async () => {
    const out = join(root, 'out');
    await buildPage(join(root, 'page/index.html'), out);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const refs = refsOf(html);
    expect(refs).toEqual([
      expect.stringMatching(/^styles-\w+\.css$/),
      expect.stringMatching(/^main-\w+\.js$/),
    ]);
    for (const ref of refs) expect(existsSync(join(out, ref)), ref).toBe(true);
    const js = readFileSync(join(out, refs[1]!), 'utf8');
    expect(js).toContain('hello');
    expect(js).toContain(`sourceMappingURL=${refs[1]}.map`);
    expect(existsSync(join(out, `${refs[1]}.map`))).toBe(true);
  });

  it('drops the bundles of the previous build once the page changed', async () => {
    const out = join(root, 'out');
    const before = readdirSync(out);
    write('page/greet.ts', "export const greet = (name: string): string => 'hi ' + name;\n");
    await buildPage(join(root, 'page/index.html'), out);
    const after = readdirSync(out);
    const oldJs = before.find((f) => f.endsWith('.js'))!;
    expect(after).not.toContain(oldJs);
    expect(after.filter((f) => f.endsWith('.js'))).toHaveLength(1);
  });
});

describe('buildSingleHtml', () => {
  it('inlines scripts and styles into one file that refers to nothing else', async () => {
    write(
      'page/greet.ts',
      "export const greet = (name: string): string => 'hello ' + name + ' </script>';\n",
    );
    const file = join(root, 'single/chart.html');
    await buildSingleHtml(join(root, 'page/index.html'), file);
    const html = readFileSync(file, 'utf8');
    expect(refsOf(html)).toEqual([]);
    expect(html).toMatch(/<style>[^<]*color:red[^<]*<\/style>/);
    expect(html).toContain('<p>page</p>');
    // The string inside the code cannot end the inline script early.
    const script = html.slice(html.indexOf('<script type="module">'));
    expect(script.indexOf('</script>')).toBe(script.length - '</script></body></html>\n'.length);
  });

  it('builds from a .ts entry alone, in a bare shell', async () => {
    const file = join(root, 'single/entry.html');
    await buildSingleHtml(join(root, 'page/main.ts'), file);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('hello');
    expect(readdirSync(join(root, 'page')).filter((f) => f.startsWith('.single-html'))).toEqual([]);
  });
});

describe('the project build', () => {
  it('`node scripts/build.mjs` produces dist/web/index.html referencing bundles that exist', () => {
    const repo = fileURLToPath(new URL('..', import.meta.url));
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'pipe' });
    const html = readFileSync(join(repo, 'dist/web/index.html'), 'utf8');
    const refs = refsOf(html);
    expect(refs.some((r) => /^main-\w+\.js$/.test(r))).toBe(true);
    for (const ref of refs) expect(existsSync(join(repo, 'dist/web', ref)), ref).toBe(true);
  });
});
