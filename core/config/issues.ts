/**
 * Turns zod issues into config issues that name the source and key path and say what is
 * valid, never echoing secret values.
 */
import type { z } from 'zod';
import type { ConfigIssue } from './errors.ts';
import { formatPath, type SchemaNode } from './schema-walk.ts';

/** How to label and render the issues of one parsed document. */
export interface IssueContext {
  readonly root: SchemaNode;
  /** Label for a key path (the file, or the env variable that set it). */
  readonly sourceOf: (path: readonly PropertyKey[]) => string;
  /** Secrets: never print values, and shorten user-chosen map keys (tokens). */
  readonly redact: boolean;
}

function got(input: unknown, redact: boolean): string {
  if (redact || input === undefined) return '';
  const text = JSON.stringify(input) ?? String(input);
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

/** Path for display; in secrets, map keys (bearer tokens) are cut to 4 characters. */
export function displayPath(path: readonly PropertyKey[], ctx: IssueContext): string {
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

/** Every zod issue of one document as config issues, except unknown keys (see findUnknownKeys). */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    // Unknown keys are found by findUnknownKeys (also in non-strict component schemas).
    if (issue.code === 'unrecognized_keys') continue;
    out.push({
      source: ctx.sourceOf(issue.path),
      path: displayPath(issue.path, ctx),
      message: describeIssue(issue, ctx),
    });
  }
  return out;
}
