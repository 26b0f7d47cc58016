import type { Command } from 'commander';
import type { StartOptions } from '../../app/commands/start.ts';

/**
 * `quantforge start`: runs the whole platform in one process with embedded defaults until
 * SIGINT/SIGTERM, then stops every component cleanly (in-flight work finished, processor
 * state saved). A bad config file exits 2 naming the key path; `--dry-run` only prints the plan.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the platform in one process (embedded bus, store under ./data)')
    .option('--config <file>', 'config.yaml to read (default: $QF_CONFIG, else ./config.yaml if present)')
    .option(
      '--secrets <file>',
      'secrets.yaml to read (default: $QF_SECRETS, else secrets.yaml beside the config)',
    )
    .option('--dry-run', 'validate the configuration, print what would run, and exit')
    .action(async (options: StartOptions) => {
      const { runStartCommand } = await import('../../app/commands/start.ts');
      await runStartCommand(options);
    });
}
