import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.ts';
import { createBus } from '../../pipeline/bus/index.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import { produceTick } from '../../pipeline/runtime/clock-ticker.ts';
import { startPipeline } from '../../pipeline/runtime/pipeline.ts';
import { guessReplayFormat, REPLAY_FORMATS, replayFile } from '../../pipeline/runtime/replay-source.ts';
import { loadStateTopics, saveStateTopics } from '../../pipeline/runtime/state-files.ts';
import { VENUE_IDS } from '../../pipeline/venues/binance/index.ts';
import { type CommonOptions, loadContext, parseChoiceFlag, withCommonOptions } from '../context.ts';
import { assertKafkaReachable, explainKafkaError } from '../kafka.ts';
import { createProgress } from '../progress.ts';

interface IngestOptions extends CommonOptions {
  readonly venue: string;
  readonly replay: string;
  readonly format?: string;
  readonly symbol?: string;
  readonly period?: string;
  readonly bus?: string;
}

/** `quantforge ingest`: runs a recorded file through the pipeline into the store; exits when all is committed. */
export function registerIngestCommand(program: Command): void {
  withCommonOptions(
    program
      .command('ingest')
      .description(
        'run a recorded file through the pipeline (normalize, dedup, sequence, bars) into the store',
      )
      .requiredOption('--venue <venue>', `venue id: ${Object.values(VENUE_IDS).join(', ')}`)
      .requiredOption(
        '--replay <file>',
        'recorded file: hftbacktest WS recording (.gz) or data.binance.vision CSV',
      )
      .option('--format <format>', `file format: ${REPLAY_FORMATS.join(', ')} (default: from the file name)`)
      .option('--symbol <symbol>', 'venue symbol, for CSV files whose name does not say it')
      .option('--period <period>', 'kline period, for klines CSV files whose name does not say it')
      .option('--bus <kind>', 'embedded (default) or kafka (brokers from config / KAFKA_BROKERS)'),
  ).action(async (options: IngestOptions) => {
    const venue = parseChoiceFlag('--venue', options.venue.toUpperCase(), Object.values(VENUE_IDS));
    if (!existsSync(options.replay))
      throw new InvalidInputError('--replay', `no such file: ${options.replay}`);
    const format = options.format
      ? parseChoiceFlag('--format', options.format, REPLAY_FORMATS)
      : guessReplayFormat(options.replay);
    const ctx = loadContext(options, 'ingest');
    const busKind = options.bus
      ? parseChoiceFlag('--bus', options.bus, ['embedded', 'kafka'] as const)
      : ctx.config.bus.kind;
    const { logger } = ctx;
    if (busKind === 'kafka') await assertKafkaReachable(ctx.config.bus.kafka);
    const bus = createBus({ logger }, { ...ctx.config.bus, kind: busKind });
    const embedded = bus.kind === 'embedded';
    const progress = createProgress(`ingest ${format}`);
    try {
      await ensureTopics(bus, loadTopics());
      if (embedded) await loadStateTopics(bus, ctx.store.dataDir);
      const pipeline = await startPipeline(
        { bus, logger },
        { store: ctx.store, processors: ctx.config.processors, venues: [venue] },
      );
      try {
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
          // The recording is over: let the sequencer release what it holds after a gap.
          const partitions = loadTopics().find((t) => t.name === 'norm.trade')?.partitions ?? 1;
          const afterUs = ctx.config.processors.sequencer.reorderWindowMs * 1000;
          await produceTick(bus, { partitions }, sent.lastTimeUs + afterUs);
          done = await pipeline.settled({ quietMs: embedded ? 750 : 3000 });
        }
        if (embedded) await saveStateTopics(bus, ctx.store.dataDir);
        const seconds = (Date.now() - started) / 1000;
        progress.stop();
        const lines = [
          `ingested ${options.replay} (${format}) into ${ctx.store.dataDir} in ${seconds.toFixed(1)} s over the ${bus.kind} bus`,
          `  records sent: ${sent.records}${sent.rejected > 0 ? ` (${sent.rejected} rows rejected by the normalizer)` : ''}`,
          `  trades stored: ${done.sink.trades} (${done.sink.replayedTrades} already stored), bars stored: ${done.sink.bars}`,
          `  frames not normalized (depth, snapshots): ${done.normalizer.notNormalized}, refused (dead-lettered with the reason, dlq.*): ${done.refused}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        if (done.lost > 0)
          throw new Error(
            `${done.lost} records could neither be stored nor dead-lettered (lost); see the log for each`,
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
        await pipeline.stop();
      }
    } catch (error) {
      throw explainKafkaError(error, ctx.config.bus.kafka);
    } finally {
      progress.stop();
      await bus.close();
    }
  });
}
