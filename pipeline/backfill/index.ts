/**
 * The backfill service: finds gaps in the store (missing bars, trades after the stored range),
 * fetches venue REST history within its rate limits, and sends it through the pipeline's own
 * normalized topics so dedup makes a repeated job change nothing. See README.md for the design.
 *
 * @example
 * const backfill = createBackfillService({ bus, logger, venues: { BINANCE: market }, reader }, {});
 * await backfill.start(); // also takes BackfillCommand envelopes on cmd.backfill
 * const job = await backfill.submit({ venue: 'BINANCE', symbol: 'BTCUSDT', dataset: 'bars', fromUs, toUs });
 * console.log(await backfill.finished(job.jobId));
 */
export { type BackfillConfig, type BackfillConfigInput, backfillConfigSchema } from './config.ts';
export { checkRange, isoUs, planKlineWindows } from './plan.ts';
export {
  BACKFILL_TOPICS,
  type BackfillService,
  type BackfillServiceDeps,
  createBackfillService,
} from './service.ts';
export { settleOnPipeline } from './settle.ts';
export {
  BACKFILL_DATASETS,
  type BackfillDataset,
  type BackfillRequest,
  type BackfillState,
  type BackfillStatus,
} from './types.ts';
