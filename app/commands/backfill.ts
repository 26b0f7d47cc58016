import { InvalidInputError, QuantForgeError } from '../../core/errors.ts';
import { createBackfillService, isoUs, settleOnPipeline } from '../../pipeline/backfill/index.ts';
import { BACKFILL_DATASETS, type BackfillStatus } from '../../pipeline/backfill/types.ts';
import { openPipelineSession } from '../../pipeline/runtime/index.ts';
import { createBinanceMarketApis, VENUE_IDS } from '../../pipeline/venues/binance/index.ts';
import { createCcxtVenue } from '../../pipeline/venues/ccxt/index.ts';
import { type CommonOptions, loadContext, parseChoiceFlag, parseTimeFlag } from './context.ts';
import { commandBusKind, explainKafkaError } from './kafka.ts';
import { createProgress } from './progress.ts';

export interface BackfillOptions extends CommonOptions {
  readonly venue: string;
  readonly symbol: string;
  readonly from: string;
  readonly to?: string;
  readonly dataset: string;
  readonly period: string;
  readonly bus?: string;
}

function describe(s: BackfillStatus): string {
  return `${s.itemsWritten} written, ${s.requestsMade} requests, covered to ${isoUs(s.coveredToUs)}`;
}

/**
 * `quantforge backfill`: one backfill job in this process (pipeline + backfill service) on the
 * embedded bus (processor state kept in `<dataDir>/_state`) or on Kafka (`--bus kafka`: state in
 * the `state.*` changelog topics); exits when what it wrote is committed to the store.
 */
export async function runBackfillCommand(options: BackfillOptions): Promise<void> {
  const dataset = parseChoiceFlag('--dataset', options.dataset, BACKFILL_DATASETS);
  const fromUs = parseTimeFlag('--from', options.from) as number;
  const toUs = parseTimeFlag('--to', options.to);
  const ctx = loadContext(options, 'backfill');
  const { logger } = ctx;
  const ccxtEntries = ctx.config.venues.ccxt.map((c) => ({
    id: c.venueId ?? c.exchange.toUpperCase(),
    config: c,
  }));
  const venue = parseChoiceFlag('--venue', options.venue.toUpperCase(), [
    ...Object.values(VENUE_IDS),
    ...ccxtEntries.map((c) => c.id),
  ]);
  // Only the asked venue's ccxt exchange is built (ccxt loads markets on first use).
  const ccxtEntry = Object.values(VENUE_IDS).includes(venue)
    ? undefined
    : ccxtEntries.find((c) => c.id === venue);
  const ccxt = ccxtEntry ? { [venue]: createCcxtVenue({}, ccxtEntry.config) } : {};
  const busKind = await commandBusKind(options.bus, ctx.config.bus);
  const embedded = busKind === 'embedded';
  const progress = createProgress(`backfill ${venue} ${options.symbol.toUpperCase()} ${dataset}`, 100);
  try {
    const session = await openPipelineSession(
      { logger },
      {
        bus: { ...ctx.config.bus, kind: busKind },
        store: ctx.store,
        processors: ctx.config.processors,
        venues: [venue],
      },
    );
    const { bus } = session;
    try {
      const pipeline = await session.start();
      const service = createBackfillService(
        {
          bus,
          logger,
          venues: createBinanceMarketApis({ logger }, ctx.config.venues.binance),
          ccxt,
          reader: pipeline.reader,
          onProgress: (s) => progress.update(Math.round(s.fractionDone * 100), `${s.state}: ${describe(s)}`),
          // Kafka hops (transactions, group fetches) pause longer between batches.
          settle: settleOnPipeline(pipeline, { quietMs: embedded ? 750 : 3000 }),
        },
        { dedupWindowIds: ctx.config.processors.dedup.windowIds },
      );
      let job: BackfillStatus;
      try {
        job = await service.submit({
          venue,
          symbol: options.symbol,
          dataset,
          period: options.period,
          fromUs,
          ...(toUs !== undefined ? { toUs } : {}),
          requestedBy: 'cli',
        });
      } catch (error) {
        // The service names its fields (from, to, period, ...); the user typed flags.
        if (error instanceof InvalidInputError)
          throw new InvalidInputError(`--${error.field}`, error.message.slice(error.field.length + 2));
        throw error;
      }
      const final = await service.finished(job.jobId);
      await session.close();
      const { lost } = pipeline.progress(); // after the stages' last flush
      progress.stop();
      if (lost > 0)
        throw new QuantForgeError(
          `${lost} records could neither be stored nor dead-lettered (lost); the log names each`,
        );
      if (final.state !== 'done') {
        throw new QuantForgeError(
          `backfill ${final.state}: ${final.error ?? 'cancelled'} (${describe(final)})`,
        );
      }
      const lines = [
        `backfilled ${venue} ${final.symbol} ${dataset}${dataset === 'bars' ? ` ${final.period}` : ''} ${isoUs(final.fromUs)} .. ${isoUs(final.toUs)} into ${ctx.store.dataDir} over the ${bus.kind} bus`,
        `  gaps found: ${final.gapsFound}${dataset === 'bars' ? ' missing bars' : ''}, items written: ${final.itemsWritten}, requests: ${final.requestsMade}`,
        ...final.notes.map((n) => `  note: ${n}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await session.close();
      for (const c of Object.values(ccxt)) await c.close();
    }
  } catch (error) {
    throw explainKafkaError(error, ctx.config.bus.kafka);
  } finally {
    progress.stop();
  }
}
