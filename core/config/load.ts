/**
 * Loads `config.yaml` + `secrets.yaml` + environment overrides once at start into frozen
 * objects, or throws one `ConfigError` listing every problem with its file and key path.
 */
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { parseDocumentWith, readYaml } from './document.ts';
import { readEnvOverrides } from './env.ts';
import { ConfigError, type ConfigIssue } from './errors.ts';
import { deepFreeze } from './freeze.ts';
import { toSchemaNode } from './schema-walk.ts';

/**
 * What a product's configuration is: the two schemas (composed by the application, which
 * knows its components) and the conventional environment names that alias their keys.
 */
export interface ConfigScheme<C extends z.ZodType = z.ZodType, S extends z.ZodType = z.ZodType> {
  /** `config.yaml`: every non-secret setting. */
  readonly config: C;
  /** `secrets.yaml`: credentials only. */
  readonly secrets: S;
  /** Conventional variable names mapped to config.yaml key paths (lower precedence than `QF_*`). */
  readonly configAliases: Readonly<Record<string, readonly string[]>>;
  /** Conventional variable names mapped to secrets.yaml key paths (lower precedence than `QF_SECRET_*`). */
  readonly secretsAliases: Readonly<Record<string, readonly string[]>>;
}

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

/** What {@link loadConfigFiles} returns: both documents parsed and deep-frozen. */
export interface LoadedConfig<C = unknown, S = unknown> {
  readonly config: C;
  readonly secrets: S;
  readonly sources: ConfigSources;
}

/**
 * Loads and validates the configuration described by `scheme`. The application binds its
 * scheme once (`loadConfig` in app/config); this stays free of any component's schema.
 *
 * @throws ConfigError naming the file (or env variable) and key path of every problem.
 */
export function loadConfigFiles<C extends z.ZodType, S extends z.ZodType>(
  scheme: ConfigScheme<C, S>,
  options: LoadConfigOptions = {},
): LoadedConfig<z.output<C>, z.output<S>> {
  const { config: configSchema, secrets: secretsSchema } = scheme;
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
    aliases: scheme.configAliases,
  });
  const secretsEnv = readEnvOverrides(env, secretsRoot, {
    prefix: 'QF_SECRET_',
    exclude: [],
    aliases: scheme.secretsAliases,
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

  const frozen: LoadedConfig<z.output<C>, z.output<S>> = {
    config: deepFreeze(config) as z.output<C>,
    secrets: deepFreeze(secrets) as z.output<S>,
    sources: {
      configFile: configFile.found ? configPath : null,
      secretsFile: secretsFile.found ? secretsPath : null,
      env: [...configEnv.overrides, ...secretsEnv.overrides].map((o) => o.variable),
    },
  };
  return deepFreeze(frozen) as LoadedConfig<z.output<C>, z.output<S>>;
}
