/**
 * Loads `config.yaml` + `secrets.yaml` + environment overrides once at start into frozen
 * objects, or throws one `ConfigError` listing every problem with its file and key path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  applyOverrides,
  CONFIG_ENV_ALIASES,
  type EnvOverride,
  readEnvOverrides,
  SECRETS_ENV_ALIASES,
} from './env.ts';
import { ConfigError, type ConfigIssue } from './errors.ts';
import { type DeepReadonly, deepFreeze } from './freeze.ts';
import { toConfigIssues } from './issues.ts';
import { type ConfigShape, configSchema } from './schema.ts';
import { type SchemaNode, toSchemaNode } from './schema-walk.ts';
import { type SecretsShape, secretsSchema } from './secrets-schema.ts';

/** The parsed, frozen `config.yaml`. */
export type Config = DeepReadonly<ConfigShape>;
/** The parsed, frozen `secrets.yaml`. */
export type Secrets = DeepReadonly<SecretsShape>;

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Default: `$QF_CONFIG`, else `./config.yaml`. A path given here (or in QF_CONFIG) must exist. */
  readonly configPath?: string;
  /** Default: `$QF_SECRETS`, else `secrets.yaml` beside the config file. A path given here must exist. */
  readonly secretsPath?: string;
  /** Environment to read overrides from. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Where the loaded values came from. */
export interface ConfigSources {
  /** The config file read, or null when none was found (defaults apply). */
  readonly configFile: string | null;
  /** The secrets file read, or null when none was found. */
  readonly secretsFile: string | null;
  /** Environment variables that overrode keys, in the order applied. */
  readonly env: readonly string[];
}

/** What {@link loadConfig} returns. */
export interface LoadedConfig {
  readonly config: Config;
  readonly secrets: Secrets;
  readonly sources: ConfigSources;
}

interface YamlSource {
  readonly found: boolean;
  readonly data: Record<string, unknown> | undefined;
}

function readYaml(path: string, required: boolean, issues: ConfigIssue[]): YamlSource {
  if (!existsSync(path)) {
    if (required) issues.push({ source: path, path: '', message: 'file not found' });
    return { found: false, data: {} };
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
    issues.push({
      source: path,
      path: '',
      message: 'expected a mapping of sections (key: value) at the top level',
    });
    return { found: true, data: undefined };
  }
  return { found: true, data: value as Record<string, unknown> };
}

function parseDocumentWith<T extends z.ZodType>(
  schema: T,
  root: SchemaNode,
  source: { label: string; data: Record<string, unknown> | undefined },
  overrides: readonly EnvOverride[],
  redact: boolean,
  issues: ConfigIssue[],
): z.output<T> | undefined {
  if (source.data === undefined) return undefined;
  const result = schema.safeParse(applyOverrides(source.data, overrides), { reportInput: true });
  if (result.success) return result.data;
  const sourceOf = (path: readonly PropertyKey[]): string => {
    // The last override on a prefix of the path set that value; otherwise the file did.
    const hit = overrides.findLast((o) => o.path.every((k, i) => path[i] === k));
    return hit ? `env ${hit.variable}` : source.label;
  };
  issues.push(...toConfigIssues(result.error.issues, { root, sourceOf, redact }));
  return undefined;
}

/**
 * Loads and validates the configuration.
 *
 * @example
 * const { config, secrets } = loadConfig({ configPath: 'deploy/config.yaml' });
 * if (config.bus.kind === 'kafka') connect(config.bus.kafka.brokers, secrets.kafka.sasl);
 * @throws ConfigError naming the file (or env variable) and key path of every problem.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const configPath = options.configPath ?? env.QF_CONFIG ?? 'config.yaml';
  const secretsPath = options.secretsPath ?? env.QF_SECRETS ?? join(dirname(configPath), 'secrets.yaml');
  const issues: ConfigIssue[] = [];

  const configFile = readYaml(
    configPath,
    options.configPath !== undefined || env.QF_CONFIG !== undefined,
    issues,
  );
  const secretsFile = readYaml(
    secretsPath,
    options.secretsPath !== undefined || env.QF_SECRETS !== undefined,
    issues,
  );

  const configRoot = toSchemaNode(configSchema);
  const secretsRoot = toSchemaNode(secretsSchema);
  const configEnv = readEnvOverrides(env, configRoot, {
    prefix: 'QF_',
    exclude: ['QF_SECRET_'],
    aliases: CONFIG_ENV_ALIASES,
  });
  const secretsEnv = readEnvOverrides(env, secretsRoot, {
    prefix: 'QF_SECRET_',
    exclude: [],
    aliases: SECRETS_ENV_ALIASES,
  });
  issues.push(...configEnv.issues, ...secretsEnv.issues);

  const config = parseDocumentWith(
    configSchema,
    configRoot,
    { label: configPath, data: configFile.data },
    configEnv.overrides,
    false,
    issues,
  );
  const secrets = parseDocumentWith(
    secretsSchema,
    secretsRoot,
    { label: secretsPath, data: secretsFile.data },
    secretsEnv.overrides,
    true,
    issues,
  );
  if (issues.length > 0 || config === undefined || secrets === undefined) throw new ConfigError(issues);

  return deepFreeze({
    config,
    secrets,
    sources: {
      configFile: configFile.found ? configPath : null,
      secretsFile: secretsFile.found ? secretsPath : null,
      env: [...configEnv.overrides, ...secretsEnv.overrides].map((o) => o.variable),
    },
  });
}

/** The configuration with every default and no files or environment (for tests and tools). */
export function defaultConfig(): Config {
  return deepFreeze(configSchema.parse({}));
}
