import { MCP_SERVER_NAMES } from '../../mcp-servers/registry.ts';
import { type LoadedConfig, loadConfig } from '../config/index.ts';
import { createAppLogger } from '../logging.ts';
import { platformMcpServers, startPlatform } from '../platform.ts';

/** Options of `quantforge start`. */
export interface StartOptions {
  readonly config?: string;
  readonly secrets?: string;
  readonly dryRun?: boolean;
}

/** What `start` would run with this configuration, one line per component (pure). */
export function describeStartPlan({ config, secrets, sources }: LoadedConfig): string {
  const { bus, venues, mcp, gateway } = config;
  const markets = venues.binance.map((b) => `binance ${b.market} ${b.symbols.join(',')}`);
  const exchanges = venues.ccxt.map((c) => `ccxt ${c.exchange}`);
  const toolsets = mcp.toolsets as readonly string[];
  const served = platformMcpServers(toolsets);
  const unbuilt = toolsets.filter((n) => !(MCP_SERVER_NAMES as readonly string[]).includes(n));
  const lines = [
    `config: ${sources.configFile ?? 'defaults (no config file)'}; secrets: ${sources.secretsFile ?? 'none'}` +
      (sources.env.length > 0 ? `; env: ${sources.env.join(', ')}` : ''),
    `bus: ${bus.kind === 'kafka' ? `kafka ${bus.kafka.brokers.join(',')}${secrets.kafka.sasl ? ' (SASL)' : ''}` : 'embedded'}`,
    `store: ${config.store.dataDir}`,
    `venues: ${venues.source}; ${[...markets, ...exchanges].join('; ') || 'none'}; replay from ${venues.replay.sharedDataDir}`,
    `realtime: ${config.realtime.zmq.pubEndpoint}`,
    `gateway: ${gateway.enabled ? `${gateway.publicUrl ?? `http://${gateway.host}:${gateway.port}`} (web page, /api, /mcp/<server>, /files; login link and owner token printed at start)` : 'off'}`,
    `mcp: ${gateway.enabled ? 'at the gateway' : 'no gateway'}${mcp.http.enabled ? `; separate listener http://${mcp.http.host}:${mcp.http.port}` : ''}; servers ${served.join(', ')}` +
      `${toolsets.includes('backfill') ? ' (backfill: quantforge mcp http)' : ''}` +
      `${unbuilt.length > 0 ? ` (toolsets not in this build: ${unbuilt.join(', ')})` : ''}; ${Object.keys(secrets.mcp.tokens).length} token(s)`,
    `agents: ${secrets.anthropic.apiKey ? `on (${config.agents.anthropic.baseUrl}); chat on the web page or with quantforge chat` : 'off: set anthropic.apiKey in secrets.yaml; then chat on the web page or with quantforge chat'}`,
    `telegram: ${secrets.telegram.botToken ? `on (${config.telegram.apiRoot}); the owner's pairing code is printed at start` : 'off: set telegram.botToken in secrets.yaml'}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `quantforge start`: runs the whole platform in one process with embedded defaults until
 * SIGINT/SIGTERM, then stops every component cleanly (in-flight work finished, processor
 * state saved). A bad config file exits 2 naming the key path; `--dry-run` only prints the plan.
 */
export async function runStartCommand(options: StartOptions): Promise<void> {
  const loaded = loadConfig({
    ...(options.config === undefined ? {} : { configPath: options.config }),
    ...(options.secrets === undefined ? {} : { secretsPath: options.secrets }),
  });
  process.stdout.write(describeStartPlan(loaded));
  if (options.dryRun) return;
  const logger = createAppLogger(loaded.config.log, 'quantforge', 'warn');
  const platform = await startPlatform({ logger }, loaded.config, loaded.secrets);
  process.stdout.write(
    `\nQuantForge is running:\n${platform.banner.map((l) => `  ${l}`).join('\n')}\nCtrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`\n${signal}: stopping (finishing in-flight work, saving state)…\n`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await platform.stop();
  process.stdout.write('stopped.\n');
}
