/** Configuration of the backfill service: page sizes, gap bounds, the dedup window it must respect. */
import { z } from 'zod';

/** Options of {@link createBackfillService}, validated once when the service is built. */
export const backfillConfigSchema = z.strictObject({
  /** Klines per REST request (Binance serves at most 1000 spot, 1500 futures). */
  klinesPageLimit: z.number().int().min(1).max(1500).default(1000),
  /** Trades per historicalTrades request (Binance: at most 1000). */
  tradesPageLimit: z.number().int().min(1).max(1000).default(1000),
  /** Most coverage gaps / trade-id holes one job looks at (the store answers at most 10,000; more are left for the next run). */
  maxGaps: z.number().int().min(1).max(10_000).default(10_000),
  /**
   * The dedup window of the pipeline (`processors.dedup.windowIds`): trade ids at or below the
   * series' newest id minus this are "expired" by dedup, so a trade job does not send them.
   */
  dedupWindowIds: z.number().int().min(1).default(65_536),
  /** Finished jobs kept for `status` (oldest dropped first). */
  keepFinishedJobs: z.number().int().min(1).default(1000),
});

export type BackfillConfig = Readonly<z.output<typeof backfillConfigSchema>>;
export type BackfillConfigInput = z.input<typeof backfillConfigSchema>;
