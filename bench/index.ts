/**
 * Bench dispatcher: `npm run bench -- <name> [args...]` runs `bench/<name>.ts` (each bench is a
 * sibling script that runs on import and prints its own figures). A new bench is a new file
 * here; nothing to register. `npm run bench` alone lists them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;

/** Bench names: the sibling `.ts` files, minus this dispatcher and tests. */
function benchNames(): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** The first sentence of a bench's leading doc comment, for the listing. */
function summary(name: string): string {
  const text = readFileSync(path.join(dir, `${name}.ts`), 'utf8');
  const match = /\/\*\*\s*\n?\s*\*?\s*([^\n]*)/.exec(text);
  return match?.[1]?.trim() ?? '';
}

const [name, ...args] = process.argv.slice(2);
const names = benchNames();
if (name === undefined || name === '--help' || name === '-h') {
  process.stdout.write('usage: npm run bench -- <name> [args...]\n\nbenches:\n');
  for (const n of names) process.stdout.write(`  ${n.padEnd(16)} ${summary(n)}\n`);
  process.exit(0);
}
if (!names.includes(name)) {
  process.stderr.write(`unknown bench "${name}"; valid: ${names.join(', ')}\n`);
  process.exit(64);
}
// The bench sees its own arguments at argv[2...], as when run directly with `node --import tsx bench/<name>.ts`.
process.argv = [process.argv[0]!, path.join(dir, `${name}.ts`), ...args];
await import(pathToFileURL(path.join(dir, `${name}.ts`)).href);
