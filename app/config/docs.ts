/**
 * Renders docs/config.md from the config and secrets schemas: every leaf key with its type,
 * default, environment variable and meaning (`.describe()`, else the JSDoc in the owning
 * component's config.ts). scripts/gen-config-doc.ts writes it; a test keeps it current.
 */
import { fileURLToPath } from 'node:url';
import { envNameOf, isEnvSettable } from '../../core/config/env.ts';
import { renderExample } from '../../core/config/example.ts';
import { indexJsdoc, type JsdocIndex, lookupJsdoc } from '../../core/config/jsdoc.ts';
import {
  describeType,
  formatPath,
  ITEM,
  type LeafKey,
  listLeafKeys,
  MAP_KEY,
  type SchemaNode,
  toSchemaNode,
} from '../../core/config/schema-walk.ts';
import { CONFIG_ENV_ALIASES, SECRETS_ENV_ALIASES } from './env-aliases.ts';
import { configSchema } from './schema.ts';
import { secretsSchema } from './secrets-schema.ts';

const repoFile = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** Component config files whose JSDoc describes keys of a config.yaml section lacking `.describe()`. */
export const JSDOC_SOURCES: Readonly<Record<string, readonly string[]>> = {
  bus: ['pipeline/bus/config.ts'],
  venues: ['pipeline/venues/binance/config.ts', 'pipeline/venues/ccxt/config.ts'],
  store: ['pipeline/store/config.ts'],
  realtime: ['pipeline/realtime/config.ts'],
};

/**
 * Meanings for keys whose owner has neither `.describe()` nor JSDoc on them yet; delete an
 * entry once its component documents the key.
 */
export const PENDING_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'venues.ccxt[].timeoutMs': 'Per-request timeout, milliseconds.',
};

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function valueAt(doc: unknown, path: readonly string[]): unknown {
  let value = doc;
  for (const key of path)
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** `value` without the keys that equal their own schema default (keeps list defaults short). */
function withoutDefaults(value: unknown, node: SchemaNode | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutDefaults(v, node?.items));
  if (typeof value !== 'object' || value === null || !node?.properties) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const child = node.properties[key];
    const short = withoutDefaults(v, child);
    const isDefault = JSON.stringify(v) === JSON.stringify(child?.default);
    const isEmpty = typeof short === 'object' && short !== null && Object.keys(short).length === 0;
    if (!isDefault && !(isEmpty && child?.properties)) out[key] = short;
  }
  return out;
}

/** The default: from parsing an empty document (exact, even for computed defaults), or inside
 * list/map elements from the JSON Schema. */
function formatDefault(leaf: LeafKey, section: string, defaults: unknown): string {
  const inElement = leaf.path.includes(ITEM) || leaf.path.includes(MAP_KEY);
  const value = inElement
    ? leaf.node.default
    : withoutDefaults(valueAt(defaults, [section, ...leaf.path]), leaf.node);
  if (value === undefined && leaf.requiredWithin) {
    const within = `\`${formatPath([section, ...leaf.requiredWithin])}\``;
    const last = leaf.requiredWithin.at(-1);
    return last === ITEM || last === MAP_KEY
      ? `**required** in each ${within}`
      : `**required** when ${within} is set`;
  }
  if (value === undefined) return leaf.optional ? 'unset' : '**required**';
  if (typeof value === 'string') return value === '' ? '`""`' : `\`${value}\``;
  return `\`${JSON.stringify(value)}\``;
}

function envCell(
  prefix: string,
  aliases: Readonly<Record<string, readonly string[]>>,
  leaf: LeafKey,
  path: readonly string[],
): string {
  if (!isEnvSettable(leaf.node) || path.includes(ITEM) || path.includes(MAP_KEY)) return '—';
  const names = [envNameOf(prefix, path)];
  for (const [alias, target] of Object.entries(aliases))
    if (target.join('.') === path.join('.')) names.push(alias);
  return names.map((n) => `\`${n}\``).join(', ');
}

interface DocumentSpec {
  readonly root: SchemaNode;
  readonly prefix: string;
  readonly aliases: Readonly<Record<string, readonly string[]>>;
  readonly jsdoc: (section: string) => JsdocIndex | undefined;
  /** The document parsed from `{}`. */
  readonly defaults: unknown;
}

function renderSections(spec: DocumentSpec, level: string): string[] {
  const lines: string[] = [];
  for (const [section, node] of Object.entries(spec.root.properties ?? {})) {
    const jsdoc = spec.jsdoc(section);
    lines.push(`${level} \`${section}\``, '');
    if (node.description) lines.push(node.description, '');
    lines.push('| key | type | default | environment | meaning |', '| --- | --- | --- | --- | --- |');
    for (const leaf of listLeafKeys(node)) {
      const path = [section, ...leaf.path];
      const meaning =
        leaf.description ??
        (jsdoc ? lookupJsdoc(jsdoc, leaf.path) : undefined) ??
        PENDING_DESCRIPTIONS[formatPath(path)] ??
        '(undocumented)';
      const type = describeType(leaf.node);
      lines.push(
        `| \`${formatPath(path)}\` | ${cell(type)} | ${cell(formatDefault(leaf, section, spec.defaults))} | ${envCell(spec.prefix, spec.aliases, leaf, path)} | ${cell(meaning)} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

const INTRO = `# Configuration

<!-- Generated from the zod schemas by scripts/gen-config-doc.ts; do not edit by hand.
     Regenerate: node --import tsx scripts/gen-config-doc.ts -->

QuantForge reads two YAML files once at start (\`loadConfig\` in core/config):

- \`config.yaml\`: every non-secret setting (a Kubernetes ConfigMap). Path: \`--config <file>\`,
  else \`$QF_CONFIG\`, else \`./config.yaml\`.
- \`secrets.yaml\`: credentials only (a Kubernetes Secret). Path: \`--secrets <file>\`, else
  \`$QF_SECRETS\`, else \`secrets.yaml\` beside the config file. A missing secret switches its
  feature off (Telegram without \`telegram.botToken\`, agents without \`anthropic.apiKey\`).

A file at a default path may be absent (every key has a default). A path given explicitly must
exist. A key with no value (\`key:\` alone) counts as not set. Unknown keys are errors, so typos
are caught. Every problem is reported at once, each naming the file (or environment variable)
and the key path, e.g. \`config.yaml: bus.kafka.brokers[0]: expected host:port (got "localhost")\`.
Secret values are never printed. The parsed configuration is frozen (read-only).

Examples with every key: \`deploy/config.example.yaml\`, \`deploy/secrets.example.yaml\`.

## Environment overrides

Precedence, lowest first: defaults, the file, aliases (conventional names listed in the
tables), \`QF_*\` variables.

- \`QF_<SECTION>__<KEY>\` sets a key of config.yaml: \`__\` separates levels, each key in
  UPPER_SNAKE_CASE (\`QF_BUS__KAFKA__CONNECTION_TIMEOUT_MS=5000\`, \`QF_BUS__KIND=kafka\`).
- \`QF_SECRET_<SECTION>__<KEY>\` sets a key of secrets.yaml (\`QF_SECRET_TELEGRAM__BOT_TOKEN\`).
- Values are converted to the key's type: lists are comma-separated
  (\`QF_BUS__KAFKA__BROKERS=a:9092,b:9092\`), numbers as written, booleans \`true\`/\`false\`/\`1\`/\`0\`.
- A \`QF_\` variable containing \`__\` that names no key is an error (with the valid names).
- Keys inside lists of objects (\`venues.binance[]\`) and maps (\`mcp.tokens\`) are set in the file only.

## config.yaml
`;

/** JSDoc of config.yaml sections, read lazily from {@link JSDOC_SOURCES}. */
function createJsdocLookup(): (section: string) => JsdocIndex | undefined {
  const cache = new Map<string, JsdocIndex>();
  return (section) => {
    const files = JSDOC_SOURCES[section];
    if (!files) return undefined;
    if (!cache.has(section)) cache.set(section, indexJsdoc(files.map(repoFile)));
    return cache.get(section);
  };
}

/** deploy/config.example.yaml: every key at its default, each with its meaning. */
export function renderConfigExample(): string {
  const title = [
    'QuantForge config.yaml: every key, set to its default. Copy what you change; leave the rest out.',
    'Reference: docs/config.md. Generated by scripts/gen-config-doc.ts; do not edit by hand.',
  ];
  const spec = {
    title,
    root: toSchemaNode(configSchema),
    defaults: configSchema.parse({}),
    jsdoc: createJsdocLookup(),
    pending: PENDING_DESCRIPTIONS,
  };
  return renderExample(spec, (path) => envNameOf('QF_', path));
}

/** deploy/secrets.example.yaml: every secret, commented out (unset switches its feature off). */
export function renderSecretsExample(): string {
  const title = [
    'QuantForge secrets.yaml (a Kubernetes Secret): credentials only. Every key is optional;',
    'a missing secret switches its feature off. Never commit the real file.',
    'Reference: docs/config.md. Generated by scripts/gen-config-doc.ts; do not edit by hand.',
  ];
  const spec = {
    title,
    root: toSchemaNode(secretsSchema),
    defaults: secretsSchema.parse({}),
    jsdoc: () => undefined,
  };
  return renderExample(spec, (path) => envNameOf('QF_SECRET_', path));
}

/** The Markdown of docs/config.md (pure apart from reading the JSDoc sources). */
export function renderConfigDoc(): string {
  const jsdoc = createJsdocLookup();
  const lines = [
    INTRO,
    ...renderSections(
      {
        root: toSchemaNode(configSchema),
        prefix: 'QF_',
        aliases: CONFIG_ENV_ALIASES,
        jsdoc,
        defaults: configSchema.parse({}),
      },
      '###',
    ),
    '## secrets.yaml',
    '',
    ...renderSections(
      {
        root: toSchemaNode(secretsSchema),
        prefix: 'QF_SECRET_',
        aliases: SECRETS_ENV_ALIASES,
        jsdoc: () => undefined,
        defaults: secretsSchema.parse({}),
      },
      '###',
    ),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The generated files and their renderers (scripts/gen-config-doc.ts writes them; a test compares). */
export const CONFIG_DOC_FILES: readonly { readonly path: string; readonly render: () => string }[] = [
  { path: repoFile('docs/config.md'), render: renderConfigDoc },
  { path: repoFile('deploy/config.example.yaml'), render: renderConfigExample },
  { path: repoFile('deploy/secrets.example.yaml'), render: renderSecretsExample },
];
