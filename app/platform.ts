/**
 * The whole platform in one process (`quantforge start` / `npm start`): a pipeline session
 * (bus, topics, processor state, stages into the store), the market source (live Binance or
 * recorded replay), background compaction, the realtime ZeroMQ feed with its quote book, and
 * the gateway (web page, HTTP API, MCP over streamable HTTP at /mcp/<server>, files). The components are the ones the separate services run; only this
 * file wires them together. A start that fails half way stops what it started.
 */
import type { Logger } from '../core/logger.ts';
import { createStopStack } from '../core/stop-stack.ts';
import { startMcpHttpServer } from '../mcp-servers/http.ts';
import { openMcpServices } from '../mcp-servers/services.ts';
import { createDeliveryLedger, startAlertDeliverer } from '../pipeline/alerts/index.ts';
import { TOPIC_NAMES } from '../pipeline/bus/index.ts';
import { createRealtimeBridge, createZmqPublisher, QuoteBook } from '../pipeline/realtime/index.ts';
import { openPipelineSession, startClockTicker, startMarketSource } from '../pipeline/runtime/index.ts';
import { createStoreCompactor, type StoreReader } from '../pipeline/store/index.ts';
import { openAgentRuntime } from './agents.ts';
import { alertLimitsOf, type Config, type Secrets } from './config/index.ts';
import { credentialsPath } from './credentials.ts';
import { platformMcpServers, type RunningGateway, startGateway } from './gateway.ts';
import { checkResearch, researchOptions } from './research.ts';
import { type RunningTelegram, startTelegram } from './telegram.ts';

/** A running platform. */
export interface Platform {
  /** What runs and where, one line each, for the start banner. */
  readonly banner: readonly string[];
  /** The gateway (web page, API, MCP), unless config gateway.enabled is off. */
  readonly gateway?: RunningGateway;
  stop(): Promise<void>;
}

export { platformMcpServers } from './gateway.ts';

/** Base and quote asset of the symbols the store knows, by `VENUE:SYMBOL`. */
async function loadAssets(reader: StoreReader): Promise<Map<string, { base: string; quote: string }>> {
  return new Map(
    (await reader.listSymbols()).map((s) => [
      `${s.exchangeId}:${s.venueSymbol}`,
      { base: s.baseAsset, quote: s.quoteAsset },
    ]),
  );
}

/** Whether the research server runs, and its banner line (how to install what it lacks). */
async function researchBanner(config: Config): Promise<{ on: boolean; line: string }> {
  if (!config.research.enabled || !config.mcp.toolsets.includes('research'))
    return { on: false, line: 'research: off (research.enabled, mcp.toolsets)' };
  const readiness = await checkResearch(config);
  return readiness.ready
    ? {
        on: true,
        line: `research: Python sandbox (bwrap) with ${readiness.venvDir}; per-user folders under ${config.research.dir ?? `${config.store.dataDir}/research`}`,
      }
    : { on: false, line: `research: NOT RUNNING — ${readiness.reason}; then restart` };
}

/** Starts every component; resolves once data is flowing (or it is clear there is none). */
export async function startPlatform(
  deps: { logger: Logger },
  config: Config,
  secrets: Secrets,
): Promise<Platform> {
  const { logger } = deps;
  const parts = createStopStack();
  try {
    const session = await openPipelineSession(
      { logger },
      { bus: config.bus, store: config.store, processors: config.processors },
    );
    parts.push('pipeline session', session.close);
    const { bus } = session;

    // The source starts before the stages (the bus keeps what it produces until they read it),
    // so the pipeline knows whether bars close by wall-clock time (live) or by event time (replay).
    const source = await startMarketSource(
      { bus, logger },
      {
        source: config.venues.source,
        binance: config.venues.binance,
        sharedDataDir: config.venues.replay.sharedDataDir,
        replaySpeed: config.venues.replay.speed,
      },
    );
    let drain: (() => Promise<unknown>) | undefined;
    parts.push('market source', async () => {
      await source.stop();
      // Once the source is quiet, the stages take in what it produced last before they stop.
      await drain?.();
    });
    const wallClock = () => Date.now() * 1000;
    const pipeline = await session.start(source.wallClock ? { clock: wallClock } : {});
    drain = () => pipeline.settled({ quietMs: 300, timeoutMs: 30_000 }).catch(() => undefined);
    if (source.symbols.length > 0) await pipeline.writer.upsertSymbols(source.symbols);
    if (source.wallClock) {
      const tradeTopic = session.topics.find((t) => t.name === TOPIC_NAMES.normTrade);
      const ticker = startClockTicker(
        { bus, logger },
        { partitions: tradeTopic?.partitions ?? 1, nowUs: wallClock },
      );
      parts.push('clock ticker', ticker.stop);
    }

    const compactor = await createStoreCompactor({ logger }, config.store);
    compactor.start();
    parts.push('compactor', compactor.stop);

    // Quotes convert through the assets the store's symbol registry names; a symbol it does not
    // know is relayed on the feed but not quoted (no guessing where its quote asset starts).
    const assets = await loadAssets(pipeline.reader);
    const publisher = await createZmqPublisher({ logger }, config.realtime.zmq);
    parts.push('zeromq publisher', publisher.close);
    const bridge = await createRealtimeBridge({
      bus,
      logger,
      publisher,
      quotes: new QuoteBook(),
      resolveAssets: (venue, symbol) => assets.get(`${venue}:${symbol}`),
    });
    parts.push('realtime bridge', bridge.stop);

    // The gateway serves the web page, the HTTP API and MCP over streamable HTTP on one port
    // (Claude Desktop can also use `quantforge mcp <server>` on stdio). The backfill toolset needs a
    // backfill service of its own and is served by `quantforge mcp http`.
    // The research server runs only where its venv and bwrap are; without them the rest starts and
    // the banner says how to install them.
    const research = await researchBanner(config);
    if (!research.on && config.research.enabled) logger.warn(research.line);
    const served = platformMcpServers(config.mcp.toolsets).filter((n) => n !== 'research' || research.on);
    let mcpUrl: string | undefined;
    let gateway: RunningGateway | undefined;
    const agentsOn = secrets.anthropic.apiKey !== undefined;
    const telegramToken = secrets.telegram.botToken;
    let telegram: RunningTelegram | undefined;
    if (config.gateway.enabled || config.mcp.http.enabled || agentsOn || telegramToken !== undefined) {
      const services = await openMcpServices({
        dataDir: config.store.dataDir,
        store: config.store,
        logger,
        research: researchOptions(config),
        alertLimits: alertLimitsOf(config.licences),
      });
      parts.push('mcp services', services.close);
      if (config.mcp.http.enabled) {
        const mcp = await startMcpHttpServer(services, {
          servers: served,
          tokens: secrets.mcp.tokens,
          allowedHosts: config.mcp.http.allowedHosts,
          host: config.mcp.http.host,
          port: config.mcp.http.port,
        });
        parts.push('mcp http server', mcp.close);
        mcpUrl = mcp.url;
      }
      // With an API key the agents come up here, so a broken soul file fails the start naming
      // its file and key; their chat and usage logs go to this bus. The channels below (the
      // gateway's web chat, Telegram) take the runtime from here.
      const agents = agentsOn
        ? await openAgentRuntime({ logger, services }, config, secrets, {
            bus,
            ...(research.on ? {} : { without: ['research'] }),
          })
        : undefined;
      if (config.gateway.enabled) {
        // The gateway relays this process's ZeroMQ feed to open charts, and chats with the agents.
        gateway = await startGateway(
          { logger, services, ...(agents === undefined ? {} : { agents }) },
          config,
          secrets,
          { servers: served, liveEndpoint: publisher.endpoint },
        );
        parts.push('gateway', gateway.stop);
      }
      if (telegramToken !== undefined) {
        telegram = await startTelegram(
          {
            logger,
            services,
            ...(agents === undefined ? {} : { agents }),
            ...(gateway === undefined ? {} : { liveBars: gateway.liveBars }),
          },
          config,
          telegramToken,
        );
        parts.push('telegram bot', telegram.stop);
      }
      // Alerts fired by the pipeline's alerts stage reach every channel that runs (the web page,
      // Telegram), once each. It starts after them so no alert is read without its channels;
      // it stops before them (the stop stack unwinds), so none is mid-send when a channel stops.
      const sinks = [...(gateway?.alertSinks ?? []), ...(telegram ? [telegram.alertSink] : [])];
      if (sinks.length > 0) {
        const deliverer = await startAlertDeliverer({
          bus,
          logger,
          ledger: createDeliveryLedger({ dataDir: config.store.dataDir }),
          sinks,
        });
        parts.push('alert deliverer', deliverer.stop);
      }
    }
    const tokenCount = Object.keys(secrets.mcp.tokens).length;
    const fromSecrets = tokenCount === 0 ? '' : ` or one of the ${tokenCount} in secrets.yaml mcp.tokens`;

    const banner = [
      `bus: ${bus.kind === 'embedded' ? 'embedded (in-process; processor state kept in <dataDir>/_state between runs)' : `kafka ${config.bus.kafka.brokers.join(',')}`}`,
      ...source.description.map((l, i) => (i === 0 ? `market data: ${l}` : l)),
      `pipeline: normalize → dedup → sequence → 1m bars (+ ${config.processors.bars.periods.length} derived periods, ${config.processors.indicators.length} streaming indicators) → store; alert rules (${config.store.dataDir}/alerts) → alerts${gateway ? ' → web page' : ''}${telegram ? ' → Telegram' : ''}`,
      `store: ${config.store.dataDir} (Parquet + catalog; compaction every ${config.store.compaction.intervalMs / 1000} s)`,
      `realtime: ZeroMQ PUB at ${publisher.endpoint} (topics trade.<VENUE>.<SYMBOL>, bar.<period>.<VENUE>.<SYMBOL>, book.…, ticker.…)`,
      ...(gateway
        ? [
            `web: ${gateway.url} — sign in once with ${gateway.loginUrl} (one-time link, new at every start)`,
            `mcp: ${served.join(', ')} at ${gateway.url}/mcp/<server>, Authorization: Bearer ${gateway.mcpToken}${fromSecrets} (the owner token lives in ${credentialsPath(config.store.dataDir)})`,
          ]
        : ['web: gateway off (gateway.enabled)']),
      ...(mcpUrl
        ? [
            `mcp (separate listener): ${served.join(', ')} at ${mcpUrl}/mcp/<server> (bearer tokens from secrets.yaml mcp.tokens: ${tokenCount}${tokenCount === 0 ? ', so every request gets 401 until you add one' : ''})`,
          ]
        : gateway
          ? []
          : ['mcp: HTTP off (gateway.enabled, mcp.http.enabled); stdio: quantforge mcp <server>']),
      telegram
        ? `telegram: bot polling ${config.telegram.apiRoot}; pair your account by sending /start ${telegram.ownerPairingCode} to the bot (one-time, ${telegram.pairingCodeTtlMinutes} min)`
        : 'telegram: off (set telegram.botToken in secrets.yaml)',
      research.line,
      `query it: quantforge bars --venue BINANCE --symbol BTCUSDT --period 1m --data-dir ${config.store.dataDir}`,
    ];

    return {
      banner,
      ...(gateway ? { gateway } : {}),
      async stop() {
        const failures = await parts.stopAll();
        for (const f of failures)
          logger.error({ err: f.error, part: f.name }, 'platform: a part failed to stop');
      },
    };
  } catch (error) {
    await parts.stopAll();
    throw error;
  }
}
