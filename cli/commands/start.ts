import type { Command } from 'commander';
import { type LoadedConfig, loadConfig } from '../../core/config/index.ts';

/** Options of `quantforge start`. */
export interface StartOptions {
  readonly config?: string;
  readonly secrets?: string;
}

/** What `start` would run with this configuration, one line per component (pure). */
export function describeStartPlan({ config, secrets, sources }: LoadedConfig): string {
  const { bus, venues, mcp } = config;
  const markets = venues.binance.map((b) => `binance ${b.market} ${b.symbols.join(',')}`);
  const exchanges = venues.ccxt.map((c) => `ccxt ${c.exchange}`);
  const lines = [
    `config: ${sources.configFile ?? 'defaults (no config file)'}; secrets: ${sources.secretsFile ?? 'none'}` +
      (sources.env.length > 0 ? `; env: ${sources.env.join(', ')}` : ''),
    `bus: ${bus.kind === 'kafka' ? `kafka ${bus.kafka.brokers.join(',')}${secrets.kafka.sasl ? ' (SASL)' : ''}` : 'embedded'}`,
    `store: ${config.store.dataDir}`,
    `venues: ${venues.source}; ${[...markets, ...exchanges].join('; ') || 'none'}; replay from ${venues.replay.sharedDataDir}`,
    `realtime: ${config.realtime.zmq.pubEndpoint}`,
    `gateway: http://${config.gateway.host}:${config.gateway.port}`,
    `mcp: ${mcp.http.enabled ? `http://${mcp.http.host}:${mcp.http.port}` : 'http off'}; toolsets ${mcp.toolsets.join(', ')}; ${Object.keys(secrets.mcp.tokens).length} token(s)`,
    `telegram: ${secrets.telegram.botToken ? `on (${config.telegram.apiRoot})` : 'off (no telegram.botToken in secrets)'}`,
    `agents: ${secrets.anthropic.apiKey ? `on (${config.agents.anthropic.model} at ${config.agents.anthropic.baseUrl})` : 'off (no anthropic.apiKey in secrets)'}`,
    'pipeline not wired yet',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `quantforge start`: runs the whole platform in one process with embedded defaults.
 * For now it loads and validates the configuration (a bad file exits 2 naming the key path)
 * and prints what it would run.
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
    .action(async (options: StartOptions) => {
      const loaded = loadConfig({
        ...(options.config === undefined ? {} : { configPath: options.config }),
        ...(options.secrets === undefined ? {} : { secretsPath: options.secrets }),
      });
      process.stdout.write(describeStartPlan(loaded));
    });
}
