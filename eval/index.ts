/**
 * Eval dispatcher: `npm run eval -- <name>` runs `eval/<name>.ts` against the configured
 * endpoints (config.yaml + secrets.yaml, as `quantforge` reads them). `npm run eval` lists them.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3));
const [name] = process.argv.slice(2);
if (name === undefined || !names.includes(name)) {
  process.stdout.write(`usage: npm run eval -- <name>\n\nevals: ${names.join(', ')}\n`);
  process.exitCode = name === undefined ? 0 : 2;
} else {
  await import(pathToFileURL(path.join(dir, `${name}.ts`)).href);
}
