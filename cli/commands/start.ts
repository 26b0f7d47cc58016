import type { Command } from 'commander';

/** `quantforge start`: runs the whole platform in one process with embedded defaults. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the platform in one process (embedded bus, store under ./data)')
    .option('--config <file>', 'config.yaml to read (secrets.yaml is looked up beside it)')
    .action(async () => {
      process.stdout.write('QuantForge: nothing to run yet\n');
    });
}
