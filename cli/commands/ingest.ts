import type { Command } from 'commander';
import { REPLAY_FORMATS, VENUE_IDS } from '../../app/commands/choices.ts';
import type { IngestOptions } from '../../app/commands/ingest.ts';
import { withCommonOptions } from '../options.ts';

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
    const { runIngestCommand } = await import('../../app/commands/ingest.ts');
    await runIngestCommand(options);
  });
}
