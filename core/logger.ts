import { createRequire } from 'node:module';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Log levels, lowest volume last (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * How lines are written: `pretty` is one human-readable line per entry (time, level, name,
 * message, fields), `json` one JSON object per line for collectors, `auto` pretty when stderr
 * is a terminal and JSON otherwise.
 */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  readonly name: string;
  /** Default `info`. */
  readonly level?: LogLevel;
  /** Default `auto`. */
  readonly format?: LogFormat;
}

const require = createRequire(import.meta.url);

/** A synchronous pino-pretty stream on stderr; loaded only when a terminal wants it. */
function prettyStderr(): DestinationStream {
  const pretty = require('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
  return pretty({
    destination: 2,
    sync: true,
    colorize: process.stderr.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}

/**
 * A pino logger on stderr (stdout is reserved: MCP stdio servers speak their protocol there,
 * and CLI commands print results there): readable lines on a terminal, JSON lines otherwise.
 */
export function createLogger(options: LoggerOptions): Logger {
  const format = options.format ?? 'auto';
  const pretty = format === 'pretty' || (format === 'auto' && process.stderr.isTTY === true);
  return pino(
    { name: options.name, level: options.level ?? 'info' },
    pretty ? prettyStderr() : pino.destination(2),
  );
}
