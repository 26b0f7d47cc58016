/**
 * Finds keys a document has but the schema does not declare, walking the JSON Schema, so
 * typos are caught even in component schemas built with non-strict `z.object`.
 */
import type { ConfigIssue } from './errors.ts';
import { formatPath, type SchemaNode } from './schema-walk.ts';

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

/** `unknown key bus.kafak (did you mean kafka?); valid keys: kind, kafka`. */
export function unknownKeyMessage(displayPath: string, key: string, valid: readonly string[]): string {
  const near = valid.find((v) => editDistance(v.toLowerCase(), key.toLowerCase()) <= 2);
  const hint = near ? ` (did you mean ${near}?)` : '';
  return `unknown key ${displayPath}${hint}; valid keys: ${valid.join(', ')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every undeclared key in `data`. `display` renders a path (secrets shorten map keys).
 * Maps (additionalProperties schemas) are descended into; their own keys are free.
 */
export function findUnknownKeys(
  data: unknown,
  root: SchemaNode,
  source: (path: readonly PropertyKey[]) => string,
  display: (path: readonly PropertyKey[]) => string = formatPath,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const visit = (value: unknown, node: SchemaNode | undefined, path: PropertyKey[]): void => {
    if (!node) return;
    if (Array.isArray(value)) {
      if (node.items) for (const [i, item] of value.entries()) visit(item, node.items, [...path, i]);
      return;
    }
    if (!isRecord(value)) return;
    const declared = node.properties;
    const extra = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    for (const [key, child] of Object.entries(value)) {
      const childNode = declared?.[key] ?? extra;
      if (childNode) {
        visit(child, childNode, [...path, key]);
      } else if (declared) {
        const message = unknownKeyMessage(display([...path, key]), key, Object.keys(declared));
        issues.push({ source: source(path), path: '', message });
      }
    }
  };
  visit(data, root, []);
  return issues;
}
