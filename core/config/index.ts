/**
 * Configuration loading: `config.yaml` + `secrets.yaml` + environment overrides, parsed once
 * at start into frozen objects. Generic over the schemas: the application composes its
 * components' sections and binds them (app/config); nothing here knows a component.
 */
export { loadYamlFile } from './document.ts';
export { envNameOf, isEnvSettable } from './env.ts';
export { ConfigError, type ConfigIssue, formatConfigIssue } from './errors.ts';
export { type DeepReadonly, deepFreeze } from './freeze.ts';
export {
  type ConfigScheme,
  type ConfigSources,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfigFiles,
} from './load.ts';
