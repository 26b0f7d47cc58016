/**
 * What every command shares: `--config` / `--secrets` / `--data-dir` handling, a logger on
 * stderr, and parsing of times given on the command line.
 */

import { InvalidInputError } from '../../core/errors.ts';
import type { Logger, LogLevel } from '../../core/logger.ts';
import { SAFE_ID } from '../../mcp-servers/common/context.ts';
import { parseStoreConfig, type StoreConfig } from '../../pipeline/store/index.ts';
import { type Config, loadConfig, type Secrets } from '../config/index.ts';
import { createAppLogger } from '../logging.ts';

/** Options every command accepts. */
export interface CommonOptions {
  readonly config?: string;
  readonly secrets?: string;
  readonly dataDir?: string;
}

/** Loaded configuration plus what commands build from it. */
export interface CommandContext {
  readonly config: Config;
  readonly secrets: Secrets;
  readonly store: StoreConfig;
  readonly logger: Logger;
}

/**
 * Loads config (throws ConfigError naming file and key) and applies command-line overrides.
 * `fallback` is the log level when `log.level` is unset (see {@link createAppLogger}).
 */
export function loadContext(
  options: CommonOptions,
  name: string,
  fallback: LogLevel = 'warn',
): CommandContext {
  const { config, secrets } = loadConfig({ configPath: options.config, secretsPath: options.secrets });
  const store = parseStoreConfig({ ...config.store, dataDir: options.dataDir ?? config.store.dataDir });
  return { config, secrets, store, logger: createAppLogger(config.log, name, fallback) };
}

/**
 * Parses a time flag: epoch milliseconds (`1723161255342`), an ISO 8601 date or date-time
 * (`2024-08-08`, `2024-08-08T23:54:00Z`). Returns epoch microseconds.
 */
export function parseTimeFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,16}$/.test(value)) return Number(value) * 1000;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) || value.length <= 10 ? value : `${value}Z`);
  if (Number.isNaN(ms)) {
    throw new InvalidInputError(
      flag,
      `expected epoch milliseconds or an ISO 8601 time like 2024-08-08T23:54:00Z (got "${value}")`,
    );
  }
  return ms * 1000;
}

/** Parses a positive integer flag. */
export function parseCountFlag(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new InvalidInputError(flag, `expected a whole number from 1 to ${max} (got "${value}")`);
  }
  return n;
}

/** Checks a choice flag against its valid values. */
export function parseChoiceFlag<T extends string>(flag: string, value: string, valid: readonly T[]): T {
  if (!(valid as readonly string[]).includes(value)) {
    throw new InvalidInputError(flag, `expected one of ${valid.join(', ')} (got "${value}")`);
  }
  return value as T;
}

/** Writes rows as CSV (header first) to stdout. Values are already strings or numbers. */
export function writeCsv(
  header: readonly string[],
  rows: Iterable<readonly (string | number | boolean)[]>,
): void {
  const out: string[] = [header.join(',')];
  for (const row of rows) out.push(row.join(','));
  process.stdout.write(`${out.join('\n')}\n`);
}

/** Checks `--user` / `--workspace` style flags: they become folder names, so only safe ids pass. */
export function parseIdFlags(flags: Readonly<Record<string, string>>): void {
  for (const [flag, id] of Object.entries(flags)) {
    if (!SAFE_ID.test(id))
      throw new InvalidInputError(flag, `"${id}" is not an id (letters, digits, _ - .; at most 64)`);
  }
}
