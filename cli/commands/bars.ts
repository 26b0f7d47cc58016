import type { Command } from 'commander';
import type { BarsOptions } from '../../app/commands/bars.ts';
import { PERIODS } from '../../app/commands/choices.ts';
import { withCommonOptions } from '../options.ts';

/** `quantforge bars`: bars of a stored series for any listed period, as CSV or JSON. */
export function registerBarsCommand(program: Command): void {
  withCommonOptions(
    program
      .command('bars')
      .description('print stored bars of a series (1m from stored bars, longer periods aggregated from 1m)')
      .requiredOption('--venue <venue>', 'venue id, e.g. BINANCE')
      .requiredOption('--symbol <symbol>', 'venue symbol, e.g. BTCUSDT')
      .requiredOption('--period <period>', `bar period: ${PERIODS.join(', ')}`)
      .option('--from <time>', 'first bar open time (epoch ms or ISO 8601), inclusive')
      .option('--to <time>', 'last bar open time (epoch ms or ISO 8601), exclusive')
      .option('--limit <n>', 'at most this many bars (the latest ones when --from is absent)')
      .option('--format <format>', 'csv or json', 'csv'),
  ).action(async (options: BarsOptions) => {
    const { runBarsCommand } = await import('../../app/commands/bars.ts');
    await runBarsCommand(options);
  });
}
