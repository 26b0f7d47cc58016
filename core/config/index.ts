/**
 * Configuration: `config.yaml` + `secrets.yaml` + environment overrides, parsed once at
 * start into frozen objects. Every key is described in docs/config.md.
 */
export { loadYamlFile } from './document.ts';
export { CONFIG_ENV_ALIASES, envNameOf, SECRETS_ENV_ALIASES } from './env.ts';
export { ConfigError, type ConfigIssue, formatConfigIssue } from './errors.ts';
export { type DeepReadonly, deepFreeze } from './freeze.ts';
export {
  type Config,
  type ConfigSources,
  defaultConfig,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  type Secrets,
} from './load.ts';
export { type ConfigShape, configSchema } from './schema.ts';
export { type SecretsShape, secretsSchema } from './secrets-schema.ts';
