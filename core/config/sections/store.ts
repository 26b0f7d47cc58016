import { z } from 'zod';

/**
 * The `store` section: where the Parquet files and their catalog live.
 * Temporary home until `pipeline/store/config.ts` exists; the store component takes it over.
 */
export const storeConfigSchema = z
  .strictObject({
    dataDir: z
      .string()
      .min(1)
      .default('./data')
      .describe(
        'Directory of the historical store (Parquet files + catalog), relative to the working directory.',
      ),
  })
  .describe('Historical store (Parquet + DuckDB).');

export type StoreConfig = z.infer<typeof storeConfigSchema>;
