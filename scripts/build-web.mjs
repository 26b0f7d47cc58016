// Bundles the browser pages with esbuild: the gateway's web page into dist/web/ (hashed files an
// index.html points at), and any page that must travel as ONE file (the chart MCP App) into a
// self-contained HTML with its JS and CSS inlined. An HTML template names its sources as they are
// in the tree — `<script type="module" src="./main.ts">`, `<link rel="stylesheet" href="./x.css">` —
// and the build swaps each for its bundle. No CDN: everything comes from node_modules.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Browsers the page supports (ES2022 and the CSS it uses). */
const TARGET = ['es2022', 'chrome111', 'firefox115', 'safari16.4'];
/** Pages built from the tree, when their template exists. */
const PAGES = [{ html: 'gateway/web/index.html', outDir: 'dist/web' }];
const SINGLE_FILE_PAGES = [{ html: 'mcp-servers/charting/app/index.html', out: 'dist/mcp-app/chart.html' }];
/** The output folders under dist/ (the node build leaves them alone). */
export const WEB_OUT_DIRS = ['web', 'mcp-app'];

const SCRIPT = /<script\b[^>]*\bsrc="([^"]+\.ts)"[^>]*><\/script>/g;
const STYLESHEET = /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+\.css)"[^>]*\/?>/g;

/** A bare HTML shell around one script, for a page built from a `.ts` entry alone. */
const shell = (entry) =>
  `<!doctype html>\n<html><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /></head>` +
  `<body><script type="module" src="./${path.basename(entry)}"></script></body></html>\n`;

/** `</script` and `</style` inside inlined code would end the element early. */
const escapeInline = (code, tag) => code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

function writeAtomically(file, bytes) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

/**
 * Bundles every `.ts` script and stylesheet an HTML template names. Returns the template, the
 * bundles (path → contents, relative names) and how each reference maps to its bundle.
 */
async function bundleTemplate(templateFile, { inline }) {
  const esbuild = await import('esbuild');
  const dir = path.dirname(templateFile);
  const template = existsSync(templateFile) ? readFileSync(templateFile, 'utf8') : undefined;
  if (template === undefined) throw new Error(`${templateFile}: no such page template`);
  const scripts = [...template.matchAll(SCRIPT)].map((m) => m[1]);
  const styles = [...template.matchAll(STYLESHEET)].map((m) => m[1]);
  const common = {
    absWorkingDir: dir,
    bundle: true,
    write: false,
    minify: true,
    target: TARGET,
    logLevel: 'warning',
    outdir: '/out', // virtual: nothing is written by esbuild
    entryNames: inline ? '[name]' : '[name]-[hash]',
    // The page is TypeScript like the rest of the tree: keep its import semantics.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, target: 'ES2022' } },
  };
  const built = await Promise.all([
    ...scripts.map((src) =>
      esbuild.build({
        ...common,
        entryPoints: [path.resolve(dir, src)],
        format: 'esm',
        platform: 'browser',
        sourcemap: inline ? false : 'linked',
        sourcesContent: false,
        define: { 'process.env.NODE_ENV': '"production"' },
      }),
    ),
    ...styles.map((href) => esbuild.build({ ...common, entryPoints: [path.resolve(dir, href)] })),
  ]);
  const refs = [...scripts, ...styles];
  /** reference → { js?, css[] } of its own outputs */
  const outputs = new Map();
  const files = new Map();
  built.forEach((result, i) => {
    const entry = { js: undefined, css: [] };
    for (const f of result.outputFiles) {
      const name = path.relative('/out', f.path).split(path.sep).join('/');
      files.set(name, f.contents);
      if (name.endsWith('.js')) entry.js = name;
      else if (name.endsWith('.css')) entry.css.push(name);
    }
    outputs.set(refs[i], entry);
  });
  return { template, files, outputs };
}

/** Builds the page of `templateFile` into `outDir`: index.html pointing at hashed bundles (with source maps). */
export async function buildPage(templateFile, outDir) {
  const { template, files, outputs } = await bundleTemplate(templateFile, { inline: false });
  const html = template
    .replace(SCRIPT, (_, src) => {
      const out = outputs.get(src);
      // CSS a script imports is linked next to it.
      const css = out.css.map((c) => `<link rel="stylesheet" href="./${c}" />`).join('');
      return `${css}<script type="module" src="./${out.js}"></script>`;
    })
    .replace(STYLESHEET, (_, href) => `<link rel="stylesheet" href="./${outputs.get(href).css[0]}" />`);
  const wanted = new Set(['index.html', ...files.keys()]);
  for (const [name, contents] of files) writeAtomically(path.join(outDir, name), contents);
  writeAtomically(path.join(outDir, 'index.html'), Buffer.from(html));
  // Bundles of earlier builds go, once the new index.html points at the new ones.
  for (const name of readdirSync(outDir)) {
    if (!wanted.has(name)) rmSync(path.join(outDir, name), { force: true, recursive: true });
  }
  return [...wanted];
}

/**
 * Builds ONE self-contained HTML file (scripts and styles inlined, no other file needed) from an
 * HTML template naming `.ts`/`.css` sources, or from a `.ts` entry alone (a bare shell around it).
 * For pages a host loads as a single document, like the chart MCP App's `ui://` resource.
 *
 * @example
 * await buildSingleHtml('mcp-servers/charting/app/index.html', 'dist/mcp-app/chart.html');
 */
export async function buildSingleHtml(entryFile, outFile) {
  let templateFile = entryFile;
  let cleanup;
  if (entryFile.endsWith('.ts')) {
    // A shell next to the entry, so its relative imports resolve as in the tree.
    templateFile = path.join(path.dirname(entryFile), `.single-html-${process.pid}.html`);
    writeFileSync(templateFile, shell(entryFile));
    cleanup = () => rmSync(templateFile, { force: true });
  }
  try {
    const { template, files, outputs } = await bundleTemplate(templateFile, { inline: true });
    const text = (name) => Buffer.from(files.get(name)).toString('utf8');
    const style = (name) => `<style>${escapeInline(text(name), 'style')}</style>`;
    const html = template
      .replace(SCRIPT, (_, src) => {
        const out = outputs.get(src);
        return `${out.css.map(style).join('')}<script type="module">${escapeInline(text(out.js), 'script')}</script>`;
      })
      .replace(STYLESHEET, (_, href) => style(outputs.get(href).css[0]));
    writeAtomically(outFile, Buffer.from(html));
    return outFile;
  } finally {
    cleanup?.();
  }
}

/**
 * Builds every browser page of the tree under `root` whose template exists; returns what was
 * built (relative output paths). A tree without pages builds nothing.
 */
export async function buildWeb(root) {
  const jobs = [];
  for (const page of PAGES) {
    const html = path.join(root, page.html);
    if (existsSync(html)) jobs.push(buildPage(html, path.join(root, page.outDir)).then(() => page.outDir));
  }
  for (const page of SINGLE_FILE_PAGES) {
    const html = path.join(root, page.html);
    if (existsSync(html)) jobs.push(buildSingleHtml(html, path.join(root, page.out)).then(() => page.out));
  }
  return Promise.all(jobs);
}
