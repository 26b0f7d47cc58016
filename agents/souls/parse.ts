/**
 * One soul file's text → its front matter (shape-checked) and persona, or the problems found.
 * Pure: names are checked against what exists in `load.ts`.
 */
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { SoulProblem } from './errors.ts';
import { FRONT_MATTER_KEYS, type FrontMatter, frontMatterSchema, KEY_HINTS } from './schema.ts';

/** A parsed soul file, or what is wrong with it. */
export type ParsedSoulFile =
  | { readonly ok: true; readonly frontMatter: FrontMatter; readonly persona: string }
  | { readonly ok: false; readonly problems: SoulProblem[] };

const FENCE = /^---[ \t]*$/;
const FORMAT = 'a file starting with a "---" line, YAML keys, a "---" line, then the Markdown persona';

/** Splits `text` into front matter and persona; `file` names it in problems. */
export function parseSoulFile(file: string, text: string): ParsedSoulFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const close = FENCE.test(lines[0] ?? '') ? lines.findIndex((l, i) => i > 0 && FENCE.test(l)) : -1;
  if (close < 0) {
    const message = FENCE.test(lines[0] ?? '') ? 'no closing "---" line' : 'missing (no "---" first line)';
    return { ok: false, problems: [{ file, key: 'front matter', message, valid: [FORMAT] }] };
  }
  const problems: SoulProblem[] = [];
  const persona = lines
    .slice(close + 1)
    .join('\n')
    .trim();
  if (persona === '') {
    problems.push({
      file,
      key: 'persona',
      message: 'empty',
      valid: ['the Markdown text after the front matter'],
    });
  }
  const doc = parseDocument(lines.slice(1, close).join('\n'));
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    // Lines of the file, not of the front matter: it starts on line 2.
    const at = syntax.linePos?.[0];
    const where = at === undefined ? '' : ` at line ${at.line + 1}, column ${at.col}`;
    const what = (syntax.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    problems.push({
      file,
      key: 'front matter',
      message: `YAML syntax error${where}: ${what}`,
      valid: ['YAML (https://yaml.org/spec/1.2.2/)'],
    });
    return { ok: false, problems };
  }
  const raw: unknown = doc.toJS();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ file, key: 'front matter', message: 'not a map of keys', valid: FRONT_MATTER_KEYS });
    return { ok: false, problems };
  }
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.flatMap((issue) => toProblems(file, raw, issue)));
  }
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, frontMatter: parsed.data, persona };
}

function toProblems(file: string, raw: object, issue: z.core.$ZodIssue): SoulProblem[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const valid = path.length === 0 ? FRONT_MATTER_KEYS : validKeysUnder(path.join('.'));
    return issue.keys.map((k) => ({ file, key: [...path, k].join('.'), message: 'unknown key', valid }));
  }
  const key = formatKey(issue.path) || 'front matter';
  // A list element's problem is shown on its key (`tools`), with the index in the message.
  const hintKey = path.filter((p) => !/^\d+$/.test(p)).join('.');
  const hint = KEY_HINTS[hintKey];
  const missing = path.length > 0 && valueAt(raw, path) === undefined;
  return [
    {
      file,
      key,
      message: missing ? 'missing (required)' : issue.message,
      ...(hint === undefined ? {} : { valid: [hint] }),
    },
  ];
}

/** `['tools', 2]` → `tools[2]`, `['limits', 'toolRounds']` → `limits.toolRounds`. */
function formatKey(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function validKeysUnder(prefix: string): string[] {
  return Object.keys(KEY_HINTS)
    .filter((k) => k.startsWith(`${prefix}.`))
    .map((k) => k.slice(prefix.length + 1));
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
