/**
 * Reading one YAML document and validating it against a zod schema, collecting every
 * problem as a ConfigIssue that names the source and key path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { applyOverrides, type EnvOverride } from './env.ts';
import { ConfigError, type ConfigIssue } from './errors.ts';
import { displayPath, toConfigIssues } from './issues.ts';
import { type SchemaNode, toSchemaNode } from './schema-walk.ts';
import { findUnknownKeys } from './unknown-keys.ts';

/** A YAML file as read: `data` is undefined when it could not be used (issues say why). */
export interface YamlSource {
  readonly found: boolean;
  readonly data: Record<string, unknown> | undefined;
}

/** Reads a YAML mapping. A missing file is `{}` unless `required`. Problems go to `issues`. */
export function readYaml(path: string, required: boolean, issues: ConfigIssue[]): YamlSource {
  if (!existsSync(path)) {
    if (required) issues.push({ source: path, path: '', message: 'file not found' });
    return { found: false, data: required ? undefined : {} };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    issues.push({ source: path, path: '', message: `cannot read: ${(error as Error).message}` });
    return { found: true, data: undefined };
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      // prettyErrors puts "at line L, column C" on the first line; the rest is a code excerpt.
      issues.push({
        source: path,
        path: '',
        message: `YAML syntax: ${e.message.split('\n')[0]?.replace(/:$/, '')}`,
      });
    }
    return { found: true, data: undefined };
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { found: true, data: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ source: path, path: '', message: 'expected a mapping (key: value) at the top level' });
    return { found: true, data: undefined };
  }
  return { found: true, data: value as Record<string, unknown> };
}

/**
 * A copy without null-valued keys: in YAML `key:` with nothing after it (or only commented-out
 * children) is null, and means "not set" here, so the defaults apply.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = dropNulls(v);
  return out;
}

/** How {@link parseDocumentWith} labels and renders problems. */
export interface ParseDocumentOptions {
  /** The schema as JSON Schema (from `toSchemaNode`). */
  readonly root: SchemaNode;
  /** The file, as shown in messages. */
  readonly label: string;
  /** Env overrides applied over the file; a problem under one names the variable. */
  readonly overrides?: readonly EnvOverride[];
  /** Never print values; shorten map keys (secrets). */
  readonly redact?: boolean;
}

/** Validates `data` (plus overrides); returns the parsed value, or undefined with issues added. */
export function parseDocumentWith<T extends z.ZodType>(
  schema: T,
  data: Record<string, unknown> | undefined,
  issues: ConfigIssue[],
  options: ParseDocumentOptions,
): z.output<T> | undefined {
  if (data === undefined) return undefined;
  const overrides = options.overrides ?? [];
  const sourceOf = (path: readonly PropertyKey[]): string => {
    // The last override on a prefix of the path set that value; otherwise the file did.
    const hit = overrides.findLast((o) => o.path.every((k, i) => path[i] === k));
    return hit ? `env ${hit.variable}` : options.label;
  };
  const ctx = { root: options.root, sourceOf, redact: options.redact ?? false };
  const merged = applyOverrides(dropNulls(data) as Record<string, unknown>, overrides);
  const unknown = findUnknownKeys(merged, options.root, sourceOf, (p) => displayPath(p, ctx));
  const result = schema.safeParse(merged, { reportInput: true });
  issues.push(...unknown);
  if (!result.success) issues.push(...toConfigIssues(result.error.issues, ctx));
  return result.success && unknown.length === 0 ? result.data : undefined;
}

/**
 * Reads and validates one YAML file (e.g. deploy/topics.yaml) with the same error style as
 * config.yaml. The file must exist.
 * @throws ConfigError listing every problem with file and key path.
 */
export function loadYamlFile<T extends z.ZodType>(path: string, schema: T): z.output<T> {
  const issues: ConfigIssue[] = [];
  const source = readYaml(path, true, issues);
  const value = parseDocumentWith(schema, source.data, issues, { root: toSchemaNode(schema), label: path });
  if (issues.length > 0 || value === undefined) throw new ConfigError(issues);
  return value;
}
