/**
 * Loads `config.yaml` + `secrets.yaml` + environment overrides once at start into frozen
 * objects, or throws one `ConfigError` listing every problem with its file and key path.
 */
import { dirname, join } from 'node:path';
import { parseDocumentWith, readYaml } from './document.ts';
import { CONFIG_ENV_ALIASES, readEnvOverrides, SECRETS_ENV_ALIASES } from './env.ts';
import { ConfigError, type ConfigIssue } from './errors.ts';
import { deepFreeze } from './freeze.ts';
import { type ConfigShape, configSchema } from './schema.ts';
import { toSchemaNode } from './schema-walk.ts';
import { type SecretsShape, secretsSchema } from './secrets-schema.ts';

/**
 * The parsed `config.yaml`. Deep-frozen at run time (a write throws in strict mode); typed
 * as the components' own config types so sections pass straight to their factories
 * (`createBus(deps, config.bus)`). Use `DeepReadonly<Config>` where a read-only type helps.
 */
export type Config = ConfigShape;
/** The parsed `secrets.yaml`, deep-frozen at run time. */
export type Secrets = SecretsShape;

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

  const config = parseDocumentWith(configSchema, configFile.data, issues, {
    root: configRoot,
    label: configPath,
    overrides: configEnv.overrides,
    redact: false,
  });
  const secrets = parseDocumentWith(secretsSchema, secretsFile.data, issues, {
    root: secretsRoot,
    label: secretsPath,
    overrides: secretsEnv.overrides,
    redact: true,
  });
  if (issues.length > 0 || config === undefined || secrets === undefined) throw new ConfigError(issues);

  const frozen: LoadedConfig = {
    config: deepFreeze(config) as Config,
    secrets: deepFreeze(secrets) as Secrets,
    sources: {
      configFile: configFile.found ? configPath : null,
      secretsFile: secretsFile.found ? secretsPath : null,
      env: [...configEnv.overrides, ...secretsEnv.overrides].map((o) => o.variable),
    },
  };
  return deepFreeze(frozen) as LoadedConfig;
}

/** The configuration with every default and no files or environment (for tests and tools). */
export function defaultConfig(): Config {
  return deepFreeze(configSchema.parse({})) as Config;
}
