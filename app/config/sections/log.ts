import { z } from 'zod';

/** The `log` section. */
export const logConfigSchema = z
  .strictObject({
    level: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Minimum level written to stderr (pino levels).'),
  })
  .describe('Logging.');

export type LogConfig = z.infer<typeof logConfigSchema>;
