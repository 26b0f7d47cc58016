/**
 * QuantForge's configuration: the composed `config.yaml` and `secrets.yaml` schemas bound
 * to the generic loader of core/config. Every key is described in docs/config.md.
 */
import {
  deepFreeze,
  type LoadConfigOptions,
  type LoadedConfig as LoadedConfigOf,
  loadConfigFiles,
} from '../../core/config/index.ts';
import { CONFIG_ENV_ALIASES, SECRETS_ENV_ALIASES } from './env-aliases.ts';
import { type ConfigShape, configSchema } from './schema.ts';
import { type SecretsShape, secretsSchema } from './secrets-schema.ts';

export { ConfigError, type ConfigIssue, type LoadConfigOptions } from '../../core/config/index.ts';
export { CONFIG_ENV_ALIASES, SECRETS_ENV_ALIASES } from './env-aliases.ts';
export { configSchema } from './schema.ts';
export { secretsSchema } from './secrets-schema.ts';
export { alertLimitsOf } from './sections/licences.ts';

/**
 * The parsed `config.yaml`. Deep-frozen at run time (a write throws in strict mode); typed
 * as the components' own config types so sections pass straight to their factories
 * (`createBus(deps, config.bus)`).
 */
export type Config = ConfigShape;
/** The parsed `secrets.yaml`, deep-frozen at run time. */
export type Secrets = SecretsShape;
/** What {@link loadConfig} returns. */
export type LoadedConfig = LoadedConfigOf<Config, Secrets>;

/** The scheme {@link loadConfig} reads: both schemas and their environment aliases. */
export const CONFIG_SCHEME = {
  config: configSchema,
  secrets: secretsSchema,
  configAliases: CONFIG_ENV_ALIASES,
  secretsAliases: SECRETS_ENV_ALIASES,
} as const;

/**
 * Loads and validates the configuration.
 *
 * @example
 * const { config, secrets } = loadConfig({ configPath: 'deploy/config.yaml' });
 * if (config.bus.kind === 'kafka') connect(config.bus.kafka.brokers, secrets.kafka.sasl);
 * @throws ConfigError naming the file (or env variable) and key path of every problem.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  return loadConfigFiles(CONFIG_SCHEME, options);
}

/** The configuration with every default and no files or environment (for tests and tools). */
export function defaultConfig(): Config {
  return deepFreeze(configSchema.parse({})) as Config;
}
