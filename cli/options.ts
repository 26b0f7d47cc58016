import type { Command } from 'commander';

/** Adds `--config`, `--secrets` and `--data-dir` to a command. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--config <file>', 'config.yaml to read (default: $QF_CONFIG or ./config.yaml when present)')
    .option('--secrets <file>', 'secrets.yaml to read (default: beside the config file)')
    .option('--data-dir <dir>', 'store directory (overrides store.dataDir)');
}
