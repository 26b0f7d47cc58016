import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from '../../../core/logger.ts';

/** The `log` section. */
export const logConfigSchema = z
  .strictObject({
    level: z
      .enum(LOG_LEVELS)
      .optional()
      .describe(
        'Minimum level written to stderr (pino levels). Unset: info for the pipeline and MCP services, ' +
          'warn for start and the one-shot commands (ingest, backfill, bars, …), which print their own banner or summary.',
      ),
    format: z
      .enum(LOG_FORMATS)
      .default('auto')
      .describe('auto: readable lines on a terminal, JSON lines otherwise; pretty or json to force one.'),
  })
  .describe('Logging.');

export type LogConfig = z.infer<typeof logConfigSchema>;
