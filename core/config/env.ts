/**
 * Environment overrides. `QF_<SECTION>__<KEY>` sets `section.key` of config.yaml
 * (`__` nests; segments are the keys in UPPER_SNAKE_CASE), `QF_SECRET_<SECTION>__<KEY>`
 * sets a key of secrets.yaml, and a few conventional names are aliases. Values are
 * coerced by the key's type: comma lists for arrays, numbers, booleans (true/false/1/0).
 */
import type { ConfigIssue } from './errors.ts';
import {
  formatPath,
  fromEnvSegment,
  nodeAt,
  type SchemaNode,
  toEnvSegment,
  validKeysAt,
} from './schema-walk.ts';

/** Which variables feed one document. */
export interface EnvScheme {
  /** `QF_` for config.yaml, `QF_SECRET_` for secrets.yaml. */
  readonly prefix: string;
  /** Prefixes that belong to another document. */
  readonly exclude: readonly string[];
  readonly aliases: Readonly<Record<string, readonly string[]>>;
}

/** One override applied: which variable set which key. */
export interface EnvOverride {
  readonly variable: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

/** The variable that sets a key, e.g. `QF_BUS__KAFKA__BROKERS`. */
export function envNameOf(prefix: string, path: readonly string[]): string {
  return `${prefix}${path.map(toEnvSegment).join('__')}`;
}

function coerceScalar(raw: string, node: SchemaNode | undefined): unknown {
  const type = node?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  if (type === 'boolean') {
    const lower = raw.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
  }
  return raw;
}

/** Whether a key can be set from one variable: scalars and lists of scalars, not objects, maps or lists of objects. */
export function isEnvSettable(node: SchemaNode): boolean {
  if (node.properties !== undefined || typeof node.additionalProperties === 'object') return false;
  const items = node.type === 'array' ? node.items : undefined;
  return !(items && (items.properties !== undefined || typeof items.additionalProperties === 'object'));
}

/** Coerces an env string to the type the schema expects there; zod reports what still does not fit. */
export function coerceEnvValue(raw: string, node: SchemaNode): unknown {
  if (node.type === 'array') {
    const parts = raw.split(',').map((p) => p.trim());
    return parts.filter((p) => p !== '').map((p) => coerceScalar(p, node.items));
  }
  return coerceScalar(raw, node);
}

/** Maps env segments to declared keys; the unknown remainder is returned for the error. */
function resolvePath(root: SchemaNode, segments: readonly string[]): { path: string[]; unknownAt?: number } {
  const path: string[] = [];
  for (const [i, segment] of segments.entries()) {
    const keys = validKeysAt(root, path);
    const key = keys.find((k) => toEnvSegment(k) === segment);
    if (key === undefined) return { path: [...path, ...segments.slice(i).map(fromEnvSegment)], unknownAt: i };
    path.push(key);
  }
  return { path };
}

/**
 * Reads the overrides of one document from `env`: aliases first, then prefixed variables
 * in name order, so `QF_BUS__KAFKA__BROKERS` wins over `KAFKA_BROKERS`.
 */
export function readEnvOverrides(
  env: Readonly<Record<string, string | undefined>>,
  root: SchemaNode,
  scheme: EnvScheme,
): { overrides: EnvOverride[]; issues: ConfigIssue[] } {
  const overrides: EnvOverride[] = [];
  const issues: ConfigIssue[] = [];
  for (const [variable, path] of Object.entries(scheme.aliases)) {
    const raw = env[variable];
    const node = nodeAt(root, path);
    if (raw !== undefined && node) overrides.push({ variable, path, value: coerceEnvValue(raw, node) });
  }
  const names = Object.keys(env)
    .filter(
      (n) => n.startsWith(scheme.prefix) && n.includes('__') && !scheme.exclude.some((x) => n.startsWith(x)),
    )
    .sort();
  for (const variable of names) {
    const raw = env[variable] ?? '';
    const source = `env ${variable}`;
    const { path, unknownAt } = resolvePath(root, variable.slice(scheme.prefix.length).split('__'));
    if (unknownAt !== undefined) {
      const parent = path.slice(0, unknownAt);
      const valid = validKeysAt(root, parent).map((k) => envNameOf(scheme.prefix, [...parent, k]));
      issues.push({
        source,
        path: '',
        message: `unknown key ${formatPath(path)}; valid variables: ${valid.join(', ') || 'none'}`,
      });
      continue;
    }
    const node = nodeAt(root, path);
    if (!node || !isEnvSettable(node)) {
      const valid = validKeysAt(root, path).map((k) => envNameOf(scheme.prefix, [...path, k]));
      const message =
        valid.length > 0
          ? `is a section, not a value; set one of ${valid.join(', ')}`
          : 'is a list of objects or a map; set it in the file';
      issues.push({ source, path: formatPath(path), message });
      continue;
    }
    overrides.push({ variable, path, value: coerceEnvValue(raw, node) });
  }
  return { overrides, issues };
}

/** A copy of `doc` with the overrides set (intermediate objects created as needed). */
export function applyOverrides(
  doc: Record<string, unknown>,
  overrides: readonly EnvOverride[],
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(doc);
  for (const { path, value } of overrides) {
    let target = out;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (last !== undefined) target[last] = value;
  }
  return out;
}
