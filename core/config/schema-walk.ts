/**
 * Walks the JSON Schema that zod derives from the config schemas (`z.toJSONSchema`): one
 * description of every key, used for env overrides, "valid keys" hints and docs/config.md.
 */
import { z } from 'zod';

/** The subset of JSON Schema that `z.toJSONSchema` emits for our config schemas. */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly description?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly required?: readonly string[];
}

/** One documented key: a leaf value, or a map whose keys the user chooses. */
export interface LeafKey {
  /** Path segments; `<key>` stands for a user-chosen map key (e.g. a bearer token), `[]` for each list element. */
  readonly path: readonly string[];
  readonly node: SchemaNode;
  /** Whether the key may be left out (it has a default, or is optional). */
  readonly optional: boolean;
  /** The key's own description (`.describe()`), if any. */
  readonly description: string | undefined;
  /** Set on a required key inside an optional object or a list/map element: that container's path. */
  readonly requiredWithin?: readonly string[];
}

/** The JSON Schema of a zod schema, input side (keys with defaults are optional). */
export function toSchemaNode(schema: z.ZodType): SchemaNode {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaNode;
}

/** The placeholder segment used for user-chosen map keys. */
export const MAP_KEY = '<key>';
/** The segment standing for "each element" of a list of objects. */
export const ITEM = '[]';

function isObjectNode(node: SchemaNode): boolean {
  return node.properties !== undefined;
}

function mapValueNode(node: SchemaNode): SchemaNode | undefined {
  const extra = node.additionalProperties;
  return typeof extra === 'object' && node.properties === undefined ? extra : undefined;
}

/** Every leaf key under `root`, depth first in declaration order. Lists of objects and maps
 * appear themselves (with their default) and then their elements' keys. */
export function listLeafKeys(root: SchemaNode): LeafKey[] {
  const out: LeafKey[] = [];
  const visit = (
    node: SchemaNode,
    path: readonly string[],
    optional: boolean,
    within?: readonly string[],
  ) => {
    const leaf = (): LeafKey => ({
      path,
      node,
      optional,
      description: node.description,
      ...(within && !optional ? { requiredWithin: within } : {}),
    });
    if (isObjectNode(node)) {
      // Keys of an optional object are required only when the object is given.
      const inner = optional && path.length > 0 ? path : within;
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        visit(child, [...path, key], !(node.required ?? []).includes(key), inner);
      }
      return;
    }
    const value = mapValueNode(node);
    const items = node.type === 'array' ? node.items : undefined;
    const element = value && isObjectNode(value) ? { node: value, segment: MAP_KEY } : undefined;
    const item = items && isObjectNode(items) ? { node: items, segment: ITEM } : undefined;
    const nested = element ?? item;
    out.push(leaf());
    if (nested) visit(nested.node, [...path, nested.segment], false, [...path, nested.segment]);
  };
  visit(root, [], false);
  return out;
}

/** The node at `path` (declared keys only; map keys match any segment), or undefined. */
export function nodeAt(root: SchemaNode, path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    const declared: SchemaNode | undefined = node.properties?.[segment];
    node = declared ?? mapValueNode(node);
  }
  return node;
}

/** Declared keys of the object at `path` (empty when it is not an object). */
export function validKeysAt(root: SchemaNode, path: readonly string[]): string[] {
  return Object.keys(nodeAt(root, path)?.properties ?? {});
}

/** `connectionTimeoutMs` -> `CONNECTION_TIMEOUT_MS`. */
export function toEnvSegment(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** `CONNECTION_TIMEOUT_MS` -> `connectionTimeoutMs` (for naming unknown keys). */
export function fromEnvSegment(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** A short human type: `string`, `integer`, `boolean`, `URL`, `string[]`, `"a" | "b"`, `map`. */
export function describeType(node: SchemaNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (mapValueNode(node)) return 'map';
  const type = Array.isArray(node.type) ? node.type.join(' | ') : (node.type ?? 'any');
  if (type === 'array') {
    const item = node.items ? describeType(node.items) : 'any';
    return item.includes(' ') ? `(${item})[]` : `${item}[]`;
  }
  if (type === 'string' && node.format === 'uri') return 'URL';
  return String(type);
}

/** `['bus','kafka','brokers',0]` -> `bus.kafka.brokers[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number' || segment === ITEM)
      out += typeof segment === 'number' ? `[${segment}]` : ITEM;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
