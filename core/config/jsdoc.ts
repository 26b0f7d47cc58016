/**
 * Reads the JSDoc written above the keys of zod object literals in a component's config.ts,
 * so docs/config.md can describe keys whose schema has no `.describe()`.
 * Used only by the docs generator and its test (it loads the TypeScript compiler).
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** Dotted chains of property names (within one declaration) -> JSDoc text. */
export type JsdocIndex = ReadonlyMap<string, string>;

function propertyName(node: ts.PropertyAssignment): string | undefined {
  const name = node.name;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function jsdocText(node: ts.Node, source: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const last = ranges.at(-1);
  if (!last) return undefined;
  const raw = source.text.slice(last.pos, last.end);
  if (!raw.startsWith('/**')) return undefined;
  return raw
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .filter((line) => line !== '')
    .join(' ');
}

/** Indexes every documented property of `files`; chains that two places document differently are dropped. */
export function indexJsdoc(files: readonly string[]): JsdocIndex {
  const found = new Map<string, string | null>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node)) {
        const text = jsdocText(node, source);
        if (text !== undefined) {
          const chain: string[] = [];
          for (let n: ts.Node | undefined = node; n && !ts.isVariableDeclaration(n); n = n.parent) {
            if (ts.isPropertyAssignment(n)) {
              const name = propertyName(n);
              if (name !== undefined) chain.unshift(name);
            }
          }
          const key = chain.join('.');
          const before = found.get(key);
          found.set(key, before === undefined || before === text ? text : null);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const out = new Map<string, string>();
  for (const [key, text] of found) if (text !== null) out.set(key, text);
  return out;
}

/** The JSDoc of the longest documented suffix of `path` (list/map markers skipped). */
export function lookupJsdoc(index: JsdocIndex, path: readonly string[]): string | undefined {
  const names = path.filter((p) => p !== '[]' && p !== '<key>');
  for (let start = 0; start < names.length; start++) {
    const text = index.get(names.slice(start).join('.'));
    if (text !== undefined) return text;
  }
  return undefined;
}
