import { connect } from 'node:net';
import type { Command } from 'commander';
import { InvalidInputError, QuantForgeError } from '../../core/errors.ts';
import { createBackfillService, isoUs, settleOnPipeline } from '../../pipeline/backfill/index.ts';
import { BACKFILL_DATASETS, type BackfillStatus } from '../../pipeline/backfill/types.ts';
import {
  type Bus,
  BusBrokerError,
  type BusConfig,
  BusConnectionError,
  createBus,
} from '../../pipeline/bus/index.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import { startPipeline } from '../../pipeline/runtime/pipeline.ts';
import { loadStateTopics, saveStateTopics } from '../../pipeline/runtime/state-files.ts';
import { createBinanceMarketApis, VENUE_IDS } from '../../pipeline/venues/binance/index.ts';
import { createCcxtVenue } from '../../pipeline/venues/ccxt/index.ts';
import {
  type CommonOptions,
  loadContext,
  parseChoiceFlag,
  parseTimeFlag,
  withCommonOptions,
} from '../context.ts';
import { createProgress } from '../progress.ts';

interface BackfillOptions extends CommonOptions {
  readonly venue: string;
  readonly symbol: string;
  readonly from: string;
  readonly to?: string;
  readonly dataset: string;
  readonly period: string;
  readonly bus?: string;
}

/** The message for a Kafka that does not answer: which brokers, and how to get one. */
function unreachable(brokers: readonly string[], detail: string): QuantForgeError {
  return new QuantForgeError(
    `cannot reach Kafka at ${brokers.join(',')} (bus.kafka.brokers in config, or KAFKA_BROKERS): ${detail}. ` +
      'Start a local broker with `npm run kafka:start`, or run with --bus embedded.',
  );
}

/** Opens (and closes) a TCP connection to one broker; resolves to the failure, or undefined. */
function probe(broker: string, timeoutMs: number): Promise<string | undefined> {
  const at = broker.lastIndexOf(':');
  const host = broker.slice(0, at).replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(broker.slice(at + 1)), timeout: timeoutMs });
    const done = (failure: string | undefined) => {
      socket.destroy();
      resolve(failure);
    };
    socket.once('connect', () => done(undefined));
    socket.once('timeout', () => done(`${broker}: no answer within ${timeoutMs} ms`));
    socket.once('error', (error) => done(`${broker}: ${error.message}`));
  });
}

/**
 * Fails fast, with a message saying what to do, when no Kafka broker accepts a connection
 * (kafkajs alone would retry for many seconds and then name every topic it was creating).
 */
async function assertKafkaReachable(config: BusConfig['kafka']): Promise<void> {
  const failures = await Promise.all(config.brokers.map((b) => probe(b, config.connectionTimeoutMs)));
  if (failures.some((f) => f === undefined)) return;
  throw unreachable(config.brokers, failures.join('; '));
}

/**
 * Ensures deploy/topics.yaml's topics. Kafka may report a topic it has just created as having
 * no leader yet (UNKNOWN_TOPIC_OR_PARTITION, retriable) while the cluster is busy: the create is
 * done by then, so the call is repeated (a few times, backing off) rather than failing the job.
 */
async function ensureAllTopics(bus: Bus): Promise<void> {
  const topics = loadTopics();
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureTopics(bus, topics);
    } catch (error) {
      if (attempt >= 4 || !(error instanceof BusBrokerError) || !error.retriable) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

function describe(s: BackfillStatus): string {
  return `${s.itemsWritten} written, ${s.requestsMade} requests, covered to ${isoUs(s.coveredToUs)}`;
}

/**
 * `quantforge backfill`: one backfill job in this process (pipeline + backfill service) on the
 * embedded bus (processor state kept in `<dataDir>/_state`) or on Kafka (`--bus kafka`: state in
 * the `state.*` changelog topics); exits when what it wrote is committed to the store.
 */
export function registerBackfillCommand(program: Command): void {
  withCommonOptions(
    program
      .command('backfill')
      .description(
        'fill gaps of a series from the venue REST history (bars from klines, trades after the stored ones)',
      )
      .requiredOption(
        '--venue <venue>',
        `venue id: ${Object.values(VENUE_IDS).join(', ')}, or a ccxt venue from venues.ccxt[] (bars only)`,
      )
      .requiredOption('--symbol <symbol>', 'venue symbol, e.g. BTCUSDT')
      .requiredOption('--from <time>', 'range start (epoch ms or ISO 8601)')
      .option('--to <time>', 'range end, exclusive (epoch ms or ISO 8601); default now')
      .option('--dataset <dataset>', `what to fill: ${BACKFILL_DATASETS.join(', ')}`, 'bars')
      .option('--period <period>', 'bar period of a bars job', '1m')
      .option('--bus <kind>', 'embedded (default) or kafka (brokers from config / KAFKA_BROKERS)'),
  ).action(async (options: BackfillOptions) => {
    const dataset = parseChoiceFlag('--dataset', options.dataset, BACKFILL_DATASETS);
    const fromUs = parseTimeFlag('--from', options.from) as number;
    const toUs = parseTimeFlag('--to', options.to);
    const ctx = loadContext(options, 'backfill');
    const busKind = options.bus
      ? parseChoiceFlag('--bus', options.bus, ['embedded', 'kafka'] as const)
      : ctx.config.bus.kind;
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
    const embedded = busKind === 'embedded';
    if (!embedded) await assertKafkaReachable(ctx.config.bus.kafka);
    const bus = createBus({ logger }, { ...ctx.config.bus, kind: busKind });
    const progress = createProgress(`backfill ${venue} ${options.symbol.toUpperCase()} ${dataset}`, 100);
    try {
      await ensureAllTopics(bus);
      // On Kafka the processors restore their state from the state.* changelog topics themselves.
      if (embedded) await loadStateTopics(bus, ctx.store.dataDir);
      const pipeline = await startPipeline(
        { bus, logger },
        { store: ctx.store, processors: ctx.config.processors, venues: [venue] },
      );
      try {
        const service = createBackfillService(
          {
            bus,
            logger,
            venues: createBinanceMarketApis({ logger }, ctx.config.venues.binance),
            ccxt,
            reader: pipeline.reader,
            onProgress: (s) =>
              progress.update(Math.round(s.fractionDone * 100), `${s.state}: ${describe(s)}`),
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
        if (embedded) await saveStateTopics(bus, ctx.store.dataDir);
        progress.stop();
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
        await pipeline.stop();
        for (const c of Object.values(ccxt)) await c.close();
      }
    } catch (error) {
      if (error instanceof BusConnectionError) {
        const root = error.cause instanceof Error ? error.cause.message : error.message;
        throw unreachable(ctx.config.bus.kafka.brokers, `${error.operation} failed: ${root}`);
      }
      throw error;
    } finally {
      progress.stop();
      await bus.close();
    }
  });
}
