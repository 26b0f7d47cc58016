#!/usr/bin/env node
// Compiles the TypeScript sources once into dist/ (git-ignored), so `quantforge` starts without
// transpiling at every run. Runs on `npm ci` / `npm install` (the `prepare` script) and as
// `npm run build`; bin/quantforge.mjs calls `ensureBuilt` and rebuilds when a source is newer.
//
// dist/ mirrors the tree (cli/index.ts -> dist/cli/index.js). esbuild transpiles each file on
// its own (no bundling, no type check: `tsc -p .` does that); relative `.ts` imports become
// `.js`, and an import of a non-TypeScript file (proto/gen/quantforge.js) points back into the
// source tree. `import.meta.url` / `dirname` / `filename` keep meaning the source file, so a
// module that finds a file next to itself (`new URL('../../deploy/topics.yaml', import.meta.url)`)
// finds the same file whether it runs from dist/ or from source under vitest or tsx.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildWeb, WEB_OUT_DIRS } from './build-web.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = 'dist';
const STAMP = '.build-stamp.json';
/** Top-level folders that hold no product code (all others are compiled, so a new layer is picked up). */
const SKIP_DIRS = new Set([
  DIST,
  'node_modules',
  'data',
  'bench',
  'eval',
  'test',
  'docs',
  'patches',
  'bin',
  'deploy',
  'tmp',
]);
/** This file: a change to how dist/ is made is a reason to remake it. */
const SELF = fileURLToPath(import.meta.url);
const SELF_WEB = fileURLToPath(new URL('./build-web.mjs', import.meta.url));

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts');
/** Files of the browser pages that are not TypeScript: a change to one is a reason to rebuild too. */
const isPageAsset = (name) => name.endsWith('.html') || name.endsWith('.css');

/** The TypeScript files that are compiled, as absolute paths, the pages' HTML/CSS, and their largest mtime. */
function scanSources(root) {
  const files = [];
  const assets = [];
  let newest = Math.max(statSync(SELF).mtimeMs, statSync(SELF_WEB).mtimeMs);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (isSource(entry.name)) {
        files.push(full);
        newest = Math.max(newest, statSync(full).mtimeMs);
      } else if (isPageAsset(entry.name)) {
        assets.push(full);
        newest = Math.max(newest, statSync(full).mtimeMs);
      }
    }
  };
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) {
      walk(path.join(root, entry.name));
    }
  }
  return { files, assets, newest };
}

function readStamp(root) {
  try {
    const stamp = JSON.parse(readFileSync(path.join(root, DIST, STAMP), 'utf8'));
    return typeof stamp.sourcesAsOf === 'number' ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why dist/ cannot be run as is (`missing`, or `stale: <newest source>`), or undefined when it is
 * current. Costs one stat per source file (a few milliseconds).
 */
export function staleReason(root = ROOT) {
  const stamp = readStamp(root);
  if (!stamp) return 'missing';
  const { files, assets, newest } = scanSources(root);
  if (newest <= stamp.sourcesAsOf && files.length === stamp.files) return undefined;
  const changed = [...files, ...assets].find((f) => statSync(f).mtimeMs > stamp.sourcesAsOf);
  return `stale: ${changed ? path.relative(root, changed) : 'source files added or removed'}`;
}

/** Writes `bytes` to `file` unless it already holds them; atomically, so a concurrent reader or builder never sees half a file. */
function writeIfChanged(file, bytes) {
  try {
    if (readFileSync(file).equals(bytes)) return false;
  } catch {}
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return true;
}

/** The esbuild plugin that keeps every import external and rewrites relative ones for dist/. */
function distImports(root, outRoot) {
  return {
    name: 'quantforge-dist-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (!args.path.startsWith('.')) return { path: args.path, external: true };
        if (args.path.endsWith('.ts')) return { path: args.path.replace(/\.ts$/, '.js'), external: true };
        // A non-TypeScript file (generated .js, .json): import it from the source tree.
        const target = path.resolve(args.resolveDir, args.path);
        const from = path.join(outRoot, path.relative(root, args.resolveDir));
        let spec = path.relative(from, target).split(path.sep).join('/');
        if (!spec.startsWith('.')) spec = `./${spec}`;
        return { path: spec, external: true };
      });
    },
  };
}

/**
 * Compiles the sources into dist/ and bundles the browser pages (dist/web/, dist/mcp-app/; see
 * build-web.mjs) beside it. Returns the number of compiled files written (0 when all were current).
 */
export async function build(root = ROOT) {
  const startedAt = Date.now();
  const { files, newest } = scanSources(root);
  const outRoot = path.join(root, DIST);
  const esbuild = await import('esbuild');
  const pagesStartedAt = performance.now();
  const pages = buildWeb(root);
  pages.catch(() => {}); // awaited below; a failure is reported there, not as an unhandled rejection
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: files,
    outbase: root,
    outdir: outRoot,
    bundle: true, // only so the plugin sees every import; all of them stay external
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'warning',
    // tsx and vitest read tsconfig.json; keep the same import semantics (no elided imports).
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, target: 'ES2022' } },
    define: {
      'import.meta.url': '__qfUrl',
      'import.meta.filename': '__qfFile',
      'import.meta.dirname': '__qfDir',
    },
    plugins: [distImports(root, outRoot)],
  });
  const wanted = new Set();
  let written = 0;
  const emit = (file, bytes) => {
    wanted.add(file);
    if (writeIfChanged(file, bytes)) written++;
  };
  const maps = new Map(
    result.outputFiles.filter((f) => f.path.endsWith('.map')).map((f) => [f.path, f.text]),
  );
  for (const file of result.outputFiles) {
    if (!file.path.endsWith('.js')) continue;
    const source = path.join(root, path.relative(outRoot, file.path)).replace(/\.js$/, '.ts');
    const rel = path.relative(path.dirname(file.path), source).split(path.sep).join('/');
    // One line before the code: where its source is, relative to itself (the tree may move).
    const prelude =
      "import { fileURLToPath as __qfPath } from 'node:url'; " +
      `const __qfUrl = new URL(${JSON.stringify(rel)}, import.meta.url).href, ` +
      "__qfFile = __qfPath(__qfUrl), __qfDir = __qfPath(new URL('.', __qfUrl)).slice(0, -1);";
    const mapPath = `${file.path}.map`;
    const map = JSON.parse(maps.get(mapPath));
    map.mappings = `;${map.mappings}`; // the prelude line maps to nothing
    emit(mapPath, Buffer.from(JSON.stringify(map)));
    emit(file.path, Buffer.from(`${prelude}\n${file.text}//# sourceMappingURL=${path.basename(mapPath)}\n`));
  }
  removeOrphans(outRoot, wanted, WEB_OUT_DIRS);
  const built = await pages;
  if (built.length > 0) {
    // stderr: stdout may be a protocol (MCP over stdio) when ensureBuilt runs at start.
    process.stderr.write(
      `pages: ${built.join(', ')} in ${Math.round(performance.now() - pagesStartedAt)} ms\n`,
    );
  }
  const stamp = { sourcesAsOf: Math.max(startedAt, newest), files: files.length };
  writeIfChanged(path.join(outRoot, STAMP), Buffer.from(`${JSON.stringify(stamp)}\n`));
  return written;
}

/** Deletes compiled files whose source is gone (not under `keep`, the top-level folders of the page bundles). */
function removeOrphans(dir, wanted, keep = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (keep.includes(entry.name)) continue;
    if (entry.isDirectory()) removeOrphans(full, wanted);
    else if (/\.js(\.map)?$/.test(entry.name) && !wanted.has(full)) rmSync(full, { force: true });
  }
}

/**
 * Builds dist/ when it is missing or older than a source; says so on stderr. Resolves to true
 * when dist/ can run (current, rebuilt, or read-only but present), false when a source does not compile (esbuild has named the file and line on stderr). A checkout the
 * user cannot write to runs the dist/ it has, with a warning.
 */
export async function ensureBuilt(root = ROOT) {
  const reason = staleReason(root);
  if (reason === undefined) return true;
  const t0 = performance.now();
  try {
    await build(root);
  } catch (error) {
    if (Array.isArray(error?.errors) && error.errors.length > 0) {
      // esbuild has printed each error with its file and line.
      process.stderr.write(`quantforge: the TypeScript sources do not compile (${reason}); see above\n`);
      return false;
    }
    const readOnly = ['EACCES', 'EPERM', 'EROFS'].includes(error?.code);
    if (!readOnly || reason === 'missing') throw error;
    process.stderr.write(
      `quantforge: dist/ is ${reason} and cannot be rebuilt (${error.message}); running it as it is\n`,
    );
    return true;
  }
  process.stderr.write(
    `quantforge: compiled TypeScript into dist/ (${reason}) in ${Math.round(performance.now() - t0)} ms\n`,
  );
  return true;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const t0 = performance.now();
  const written = await build();
  process.stdout.write(`dist/: ${written} files written in ${Math.round(performance.now() - t0)} ms\n`);
}
