import { existsSync } from 'node:fs';
import { InvalidInputError, QuantForgeError } from '../../core/errors.ts';
import { TOPIC_NAMES } from '../../pipeline/bus/index.ts';
import {
  guessReplayFormat,
  openPipelineSession,
  produceTick,
  REPLAY_FORMATS,
  replayFile,
} from '../../pipeline/runtime/index.ts';
import { VENUE_IDS } from '../../pipeline/venues/binance/index.ts';
import { type CommonOptions, loadContext, parseChoiceFlag } from './context.ts';
import { commandBusKind, explainKafkaError } from './kafka.ts';
import { createProgress } from './progress.ts';

export interface IngestOptions extends CommonOptions {
  readonly venue: string;
  readonly replay: string;
  readonly format?: string;
  readonly symbol?: string;
  readonly period?: string;
  readonly bus?: string;
}

/** `quantforge ingest`: runs a recorded file through the pipeline into the store; exits when all is committed. */
export async function runIngestCommand(options: IngestOptions): Promise<void> {
  const venue = parseChoiceFlag('--venue', options.venue.toUpperCase(), Object.values(VENUE_IDS));
  if (!existsSync(options.replay)) throw new InvalidInputError('--replay', `no such file: ${options.replay}`);
  const format = options.format
    ? parseChoiceFlag('--format', options.format, REPLAY_FORMATS)
    : guessReplayFormat(options.replay);
  const ctx = loadContext(options, 'ingest');
  const { logger } = ctx;
  const busKind = await commandBusKind(options.bus, ctx.config.bus);
  const embedded = busKind === 'embedded';
  const progress = createProgress(`ingest ${format}`);
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
      const started = Date.now();
      const sent = await replayFile({ bus, logger }, options.replay, {
        venue,
        format,
        symbol: options.symbol,
        period: options.period,
        onProgress: (n) => progress.update(n, 'records sent'),
      });
      let done = await pipeline.settled({ quietMs: embedded ? 750 : 3000 });
      if (sent.lastTimeUs) {
        // The recording is over: a clock tick past its end plus the reorder window lets the
        // sequencer release what it still holds behind a gap (ids of refused frames never come).
        const partitions = session.topics.find((t) => t.name === TOPIC_NAMES.normTrade)?.partitions ?? 1;
        const afterUs = ctx.config.processors.sequencer.reorderWindowMs * 1000;
        await produceTick(bus, { partitions }, sent.lastTimeUs + afterUs);
        done = await pipeline.settled({ quietMs: embedded ? 750 : 3000 });
      }
      await session.close();
      const seconds = (Date.now() - started) / 1000;
      progress.stop();
      const lines = [
        `ingested ${options.replay} (${format}) into ${ctx.store.dataDir} in ${seconds.toFixed(1)} s over the ${bus.kind} bus`,
        `  records sent: ${sent.records}${sent.rejected > 0 ? ` (${sent.rejected} rows rejected by the normalizer)` : ''}`,
        `  trades stored: ${done.sink.trades} (${done.sink.replayedTrades} already stored), bars stored: ${done.sink.bars}`,
        `  frames not normalized (depth, snapshots): ${done.normalizer.notNormalized}, refused (dead-lettered with the reason, dlq.*): ${done.refused}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      const { lost } = pipeline.progress(); // after the stages' last flush, at close
      if (lost > 0)
        throw new QuantForgeError(
          `${lost} records could neither be stored nor dead-lettered (lost); the log names each`,
        );
      if (done.sink.mixedSource > 0)
        throw new InvalidInputError(
          '--replay',
          `${done.sink.mixedSource} trades and bars from this file were not stored: their symbol is already ` +
            'stored from the other trade source (plain trades vs aggTrades), and one symbol takes one source, ' +
            'else its bars would count executions twice. Ingest this file into another --data-dir; the refused ' +
            'events are in dlq.norm.trade.sequenced and dlq.bars.1m.',
        );
    } finally {
      await session.close();
    }
  } catch (error) {
    throw explainKafkaError(error, ctx.config.bus.kafka);
  } finally {
    progress.stop();
  }
}
