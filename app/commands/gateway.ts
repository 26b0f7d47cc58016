import { resolve } from 'node:path';
import { InvalidInputError } from '../../core/errors.ts';
import { openMcpServices } from '../../mcp-servers/services.ts';
import {
  type AlertDeliverer,
  createDeliveryLedger,
  startAlertDeliverer,
} from '../../pipeline/alerts/index.ts';
import { type Bus, createBus } from '../../pipeline/bus/index.ts';
import { parseStoreConfig } from '../../pipeline/store/index.ts';
import { openAgentRuntime } from '../agents.ts';
import { alertLimitsOf, loadConfig } from '../config/index.ts';
import { platformMcpServers, startGateway } from '../gateway.ts';
import { createAppLogger } from '../logging.ts';
import { researchOptions } from '../research.ts';

/** Options of `quantforge gateway`. */
export interface GatewayCommandOptions {
  readonly config?: string;
  readonly secrets?: string;
  readonly dataDir?: string;
  readonly host?: string;
  readonly port?: string;
}

/**
 * `quantforge gateway`: the gateway alone (web page, /api, /mcp/<server>, /files) over the store
 * in the data dir, without the pipeline; prints the web URL with a one-time login link and the
 * MCP URL with the owner token, then serves until SIGINT/SIGTERM.
 */
export async function runGatewayCommand(options: GatewayCommandOptions): Promise<void> {
  const { config, secrets } = loadConfig({
    ...(options.config === undefined ? {} : { configPath: options.config }),
    ...(options.secrets === undefined ? {} : { secretsPath: options.secrets }),
  });
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new InvalidInputError('--port', `"${options.port}" is not a TCP port (0..65535)`);
  }
  const dataDir = resolve(options.dataDir ?? config.store.dataDir);
  const logger = createAppLogger(config.log, 'gateway', 'warn');
  const services = await openMcpServices({
    dataDir,
    store: parseStoreConfig({ ...config.store, dataDir }),
    logger,
    research: researchOptions(config),
    alertLimits: alertLimitsOf(config.licences),
  });
  try {
    const servers = platformMcpServers(config.mcp.toolsets);
    // With an API key the page's chat reaches the agents (their logs stay on disk: no bus here).
    const agents =
      secrets.anthropic.apiKey === undefined
        ? undefined
        : await openAgentRuntime({ logger, services }, config, secrets);
    const gateway = await startGateway({ logger, services, ...(agents ? { agents } : {}) }, config, secrets, {
      servers,
      liveEndpoint: config.realtime.zmq.pubEndpoint,
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(port === undefined ? {} : { port }),
    });
    // On Kafka, the alerts fired by `quantforge pipeline` (stage alerts) reach this gateway's page.
    let bus: Bus | undefined;
    let deliverer: AlertDeliverer | undefined;
    if (config.bus.kind === 'kafka') {
      bus = createBus({ logger }, config.bus);
      try {
        deliverer = await startAlertDeliverer({
          bus,
          logger,
          ledger: createDeliveryLedger({ dataDir }),
          sinks: gateway.alertSinks,
        });
      } catch (error) {
        logger.warn(
          { err: error },
          'gateway: alert delivery did not start (is Kafka up?); serving without it',
        );
        await bus.close().catch(() => {});
        bus = undefined;
      }
    }
    process.stdout.write(
      `QuantForge gateway over ${dataDir}:\n` +
        `  web: ${gateway.url} — sign in once with ${gateway.loginUrl} (one-time link)\n` +
        `  mcp: ${servers.join(', ')} at ${gateway.url}/mcp/<server>, Authorization: Bearer ${gateway.mcpToken}\n` +
        'Ctrl-C to stop.\n',
    );
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await deliverer?.stop();
    await bus?.close();
    await gateway.stop();
    process.stdout.write('stopped.\n');
  } finally {
    services.close();
  }
}
