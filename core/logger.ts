import { type Logger, pino } from 'pino';

export type { Logger };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  readonly name: string;
  readonly level?: string;
}

/**
 * A pino logger writing JSON lines to stderr (stdout is reserved: MCP stdio servers speak
 * their protocol there, and CLI commands print results there).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    { name: options.name, level: options.level ?? process.env.LOG_LEVEL ?? 'info' },
    pino.destination(2),
  );
}
