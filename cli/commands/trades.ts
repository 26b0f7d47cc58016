import type { Command } from 'commander';
import type { TradesOptions } from '../../app/commands/trades.ts';
import { withCommonOptions } from '../options.ts';

/** `quantforge trades`: stored trades by time range or seq range. */
export function registerTradesCommand(program: Command): void {
  withCommonOptions(
    program
      .command('trades')
      .description('print stored trades of a series by time range or seq range')
      .requiredOption('--venue <venue>', 'venue id, e.g. BINANCE')
      .requiredOption('--symbol <symbol>', 'venue symbol, e.g. BTCUSDT')
      .option('--from <time>', 'from this trade time (epoch ms or ISO 8601), inclusive')
      .option('--to <time>', 'to this trade time, exclusive')
      .option('--from-seq <n>', 'from this seq, inclusive')
      .option('--to-seq <n>', 'to this seq, inclusive')
      .option('--limit <n>', 'at most this many trades', '1000')
      .option('--format <format>', 'csv or json', 'csv'),
  ).action(async (options: TradesOptions) => {
    const { runTradesCommand } = await import('../../app/commands/trades.ts');
    await runTradesCommand(options);
  });
}
