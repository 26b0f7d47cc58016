import type { Command } from 'commander';
import type { SymbolsOptions } from '../../app/commands/symbols.ts';
import { withCommonOptions } from '../options.ts';

/** `quantforge symbols`: the symbol registry, with what the store holds of each series. */
export function registerSymbolsCommand(program: Command): void {
  withCommonOptions(
    program
      .command('symbols')
      .description('list registered symbols and the stored series (rows, time range)')
      .option('--venue <venue>', 'only this venue, e.g. BINANCE')
      .option('--format <format>', 'csv or json', 'csv'),
  ).action(async (options: SymbolsOptions) => {
    const { runSymbolsCommand } = await import('../../app/commands/symbols.ts');
    await runSymbolsCommand(options);
  });
}
