/**
 * Turns zod issues into config issues that name the source and key path and say what is
 * valid, never echoing secret values.
 */
import type { z } from 'zod';
import type { ConfigIssue } from './errors.ts';
import { formatPath, type SchemaNode, validKeysAt } from './schema-walk.ts';

/** How to label and render the issues of one parsed document. */
export interface IssueContext {
  readonly root: SchemaNode;
  /** Label for a key path (the file, or the env variable that set it). */
  readonly sourceOf: (path: readonly PropertyKey[]) => string;
  /** Secrets: never print values, and shorten user-chosen map keys (tokens). */
  readonly redact: boolean;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function got(input: unknown, redact: boolean): string {
  if (redact || input === undefined) return '';
  const text = JSON.stringify(input) ?? String(input);
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

/** Path for display; in secrets, map keys (bearer tokens) are cut to 4 characters. */
function displayPath(path: readonly PropertyKey[], ctx: IssueContext): string {
  if (!ctx.redact) return formatPath(path);
  const shown: PropertyKey[] = [];
  let node: SchemaNode | undefined = ctx.root;
  for (const segment of path) {
    const declared: SchemaNode | undefined =
      typeof segment === 'string' ? node?.properties?.[segment] : undefined;
    if (declared || typeof segment !== 'string') {
      shown.push(segment);
      node = declared ?? node?.items;
    } else {
      shown.push(`${segment.slice(0, 4)}…`);
      node = typeof node?.additionalProperties === 'object' ? node.additionalProperties : undefined;
    }
  }
  return formatPath(shown);
}

function unknownKeyIssues(issue: z.core.$ZodIssueUnrecognizedKeys, ctx: IssueContext): ConfigIssue[] {
  const valid = validKeysAt(ctx.root, issue.path.map(String));
  return issue.keys.map((key) => {
    const near = valid.find((v) => editDistance(v.toLowerCase(), key.toLowerCase()) <= 2);
    const hint = near ? ` (did you mean ${near}?)` : '';
    const path = displayPath([...issue.path, key], ctx);
    return {
      source: ctx.sourceOf(issue.path),
      path: '',
      message: `unknown key ${path}${hint}; valid keys: ${valid.join(', ')}`,
    };
  });
}

function describeIssue(issue: z.core.$ZodIssue, ctx: IssueContext): string {
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? `required (${issue.expected})`
        : `expected ${issue.expected}${got(input, ctx.redact)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}${got(input, ctx.redact)}`;
    default:
      return `${issue.message}${got(input, ctx.redact)}`;
  }
}

/** Every zod issue of one document as config issues (unknown keys get the valid ones listed). */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      out.push(...unknownKeyIssues(issue, ctx));
      continue;
    }
    out.push({
      source: ctx.sourceOf(issue.path),
      path: displayPath(issue.path, ctx),
      message: describeIssue(issue, ctx),
    });
  }
  return out;
}
