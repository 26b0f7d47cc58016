import type { Command } from 'commander';
import type { GatewayCommandOptions } from '../../app/commands/gateway.ts';

/**
 * `quantforge gateway`: the gateway alone (web page, /api, /mcp/<server>, /files) over the store in
 * the data dir, without the pipeline, until SIGINT/SIGTERM.
 */
export function registerGatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description('run the gateway alone (web page, HTTP API, MCP over HTTP) over the store in the data dir')
    .option('--config <file>', 'config.yaml to read (default: $QF_CONFIG, else ./config.yaml if present)')
    .option(
      '--secrets <file>',
      'secrets.yaml to read (default: $QF_SECRETS, else secrets.yaml beside the config)',
    )
    .option('--data-dir <dir>', 'store directory (default: config store.dataDir)')
    .option('--host <host>', 'listen address (default: config gateway.host)')
    .option('--port <port>', 'TCP port, 0 for a free one (default: config gateway.port)')
    .action(async (options: GatewayCommandOptions) => {
      const { runGatewayCommand } = await import('../../app/commands/gateway.ts');
      await runGatewayCommand(options);
    });
}
