import { createLogger, type Logger, type LogLevel } from '../core/logger.ts';
import type { Config } from './config/index.ts';

/**
 * The logger of a process, from the `log` section (`LOG_LEVEL` is an alias of `log.level`).
 * `fallback` is the level when `log.level` is unset: `info` for a service whose logs are its
 * progress report, `warn` for a command that prints its own summary or banner.
 */
export function createAppLogger(log: Config['log'], name: string, fallback: LogLevel): Logger {
  return createLogger({ name, level: log.level ?? fallback, format: log.format });
}
