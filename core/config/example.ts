/**
 * Renders deploy/config.example.yaml and deploy/secrets.example.yaml from the schemas: every
 * key with its default (or a commented placeholder when it has none), each under a comment
 * saying what it means. scripts/gen-config-doc.ts writes them; a test checks they parse.
 */
import { stringify } from 'yaml';
import { isEnvSettable } from './env.ts';
import { type JsdocIndex, lookupJsdoc } from './jsdoc.ts';
import { describeType, formatPath, type SchemaNode } from './schema-walk.ts';

/** What {@link renderExample} needs for one document. */
export interface ExampleSpec {
  readonly title: readonly string[];
  readonly root: SchemaNode;
  /** The document parsed from `{}` (the defaults). */
  readonly defaults: unknown;
  readonly jsdoc: (section: string) => JsdocIndex | undefined;
  /** Meaning of a key documented nowhere else, by display path (`venues.ccxt[].timeoutMs`). */
  readonly pending?: Readonly<Record<string, string>>;
}

// One line whatever its length: a flow map folded over lines breaks the block around it.
const scalar = (value: unknown): string => stringify(value, { flow: true, lineWidth: 0 }).trimEnd();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Walk {
  readonly lines: string[];
  readonly meaning: (node: SchemaNode, path: readonly string[]) => string | undefined;
}

function comment(walk: Walk, pad: string, text: string | undefined): void {
  if (text) walk.lines.push(`${pad}# ${text}`);
}

/** Writes the keys of an object node at `pad`. */
function renderObject(
  walk: Walk,
  node: SchemaNode,
  value: unknown,
  path: string[],
  pad: string,
  inComment: boolean,
) {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const v = isRecord(value) ? value[key] : undefined;
    renderKey(walk, key, child, v, [...path, key], pad, inComment);
  }
}

/** The defaults the JSON Schema records for an object's keys (for example list elements). */
function schemaDefaults(node: SchemaNode): unknown {
  if (!node.properties) return node.default;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node.properties)) {
    const value = schemaDefaults(child);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** One element of a list of objects, as `  - key: value` with its other keys below. */
function renderListItem(
  walk: Walk,
  item: SchemaNode,
  entry: unknown,
  path: string[],
  pad: string,
  inComment: boolean,
) {
  const start = walk.lines.length;
  renderObject(walk, item, entry, path, `${pad}    `, inComment);
  // The first key line opens the item ("  - key: value"); comment lines above it stay.
  const first = walk.lines.findIndex((l, i) => i >= start && !l.trimStart().startsWith('#'));
  if (first >= 0) walk.lines[first] = `${pad}  - ${walk.lines[first]?.slice(pad.length + 4)}`;
}

/** Renders `render` into its own lines and adds them as one commented-out block at `pad`. */
function commentedBlock(walk: Walk, pad: string, render: (inner: Walk) => void): void {
  const inner: Walk = { lines: [], meaning: walk.meaning };
  render(inner);
  for (const line of inner.lines) walk.lines.push(`${pad}# ${line}`);
}

function renderKey(
  walk: Walk,
  key: string,
  node: SchemaNode,
  value: unknown,
  path: string[],
  pad: string,
  inComment: boolean,
): void {
  comment(walk, pad, walk.meaning(node, path));
  const element = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  const item = node.type === 'array' && node.items?.properties ? node.items : undefined;
  if (node.properties && value === undefined && !inComment) {
    // An optional object that is absent by default: show its keys, commented out.
    commentedBlock(walk, pad, (inner) =>
      renderKey(inner, key, { ...node, description: undefined }, {}, path, '', true),
    );
  } else if (node.properties) {
    walk.lines.push(`${pad}${key}:`);
    renderObject(walk, node, value, path, `${pad}  `, inComment);
  } else if (element?.properties) {
    walk.lines.push(`${pad}${key}: ${scalar(value ?? {})}`);
    commentedBlock(walk, pad, (inner) => {
      inner.lines.push(`${key}:`, `  <${key === 'tokens' ? 'token' : 'key'}>:`);
      renderObject(inner, element, {}, [...path, '<key>'], '    ', true);
    });
  } else if (item && Array.isArray(value) && value.length === 0) {
    walk.lines.push(`${pad}${key}: []`);
    commentedBlock(walk, pad, (inner) => {
      inner.lines.push(`${key}:`);
      renderListItem(inner, item, schemaDefaults(item), [...path, '[]'], '', true);
    });
  } else if (item && Array.isArray(value) && value.length > 0) {
    walk.lines.push(`${pad}${key}:`);
    for (const entry of value) renderListItem(walk, item, entry, [...path, '[]'], pad, inComment);
  } else if (value === undefined) {
    walk.lines.push(`${pad}${inComment ? '' : '# '}${key}: <${describeType(node)}>`);
  } else {
    walk.lines.push(`${pad}${key}: ${scalar(value)}`);
  }
}

/** The example YAML text of one document. */
export function renderExample(spec: ExampleSpec, envName: (path: readonly string[]) => string): string {
  const walk: Walk = {
    lines: spec.title.map((t) => (t === '' ? '#' : `# ${t}`)),
    meaning: (node, path) => {
      const section = path[0] ?? '';
      const index = spec.jsdoc(section);
      const text =
        node.description ??
        (index ? lookupJsdoc(index, path.slice(1)) : undefined) ??
        spec.pending?.[formatPath(path)];
      const settable =
        !node.properties && isEnvSettable(node) && !path.includes('[]') && !path.includes('<key>');
      return settable && text ? `${text} (env ${envName(path)})` : text;
    },
  };
  for (const [key, node] of Object.entries(spec.root.properties ?? {})) {
    walk.lines.push('');
    const value = isRecord(spec.defaults) ? spec.defaults[key] : undefined;
    renderKey(walk, key, node, value, [key], '', false);
  }
  return `${walk.lines.join('\n')}\n`;
}
