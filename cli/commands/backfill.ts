import type { Command } from 'commander';
import type { BackfillOptions } from '../../app/commands/backfill.ts';
import { BACKFILL_DATASETS, VENUE_IDS } from '../../app/commands/choices.ts';
import { withCommonOptions } from '../options.ts';

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
    const { runBackfillCommand } = await import('../../app/commands/backfill.ts');
    await runBackfillCommand(options);
  });
}
