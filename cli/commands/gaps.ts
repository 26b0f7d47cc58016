import type { Command } from 'commander';
import { PERIODS } from '../../app/commands/choices.ts';
import type { GapsOptions } from '../../app/commands/gaps.ts';
import { withCommonOptions } from '../options.ts';

/** `quantforge gaps`: coverage of a series: missing bars and venue trade-id holes. */
export function registerGapsCommand(program: Command): void {
  withCommonOptions(
    program
      .command('gaps')
      .description('show what is stored for a series and where the holes are (missing bars, trade-id gaps)')
      .requiredOption('--venue <venue>', 'venue id, e.g. BINANCE')
      .requiredOption('--symbol <symbol>', 'venue symbol, e.g. BTCUSDT')
      .option('--period <period>', `bar period to check: ${PERIODS.join(', ')}`, '1m')
      .option('--from <time>', 'range start (epoch ms or ISO 8601); default: first stored bar')
      .option('--to <time>', 'range end, exclusive; default: after the last stored bar')
      .option('--max-gaps <n>', 'list at most this many holes', '20')
      .option('--format <format>', 'text or json', 'text'),
  ).action(async (options: GapsOptions) => {
    const { runGapsCommand } = await import('../../app/commands/gaps.ts');
    await runGapsCommand(options);
  });
}
