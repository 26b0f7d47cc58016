/**
 * The whole platform in one process (`quantforge start` / `npm start`): bus, market source
 * (live Binance or recorded replay), pipeline into the store, background compaction, and the
 * realtime ZeroMQ feed with its quote book. Components are the same ones the separate
 * services run; only this file wires them together.
 */

import type { Logger } from '../core/logger.ts';
import { startMcpHttpServer } from '../mcp-servers/http.ts';
import { MCP_SERVER_NAMES, type McpServerName } from '../mcp-servers/registry.ts';
import { openMcpServices } from '../mcp-servers/services.ts';
import { createBus, TOPIC_NAMES } from '../pipeline/bus/index.ts';
import { ensureTopics, loadTopics } from '../pipeline/bus/topics.ts';
import { createRealtimeBridge, createZmqPublisher, QuoteBook } from '../pipeline/realtime/index.ts';
import { startClockTicker } from '../pipeline/runtime/clock-ticker.ts';
import { startMarketSource } from '../pipeline/runtime/live-source.ts';
import { startPipeline } from '../pipeline/runtime/pipeline.ts';
import { loadStateTopics, saveStateTopics } from '../pipeline/runtime/state-files.ts';
import { createStoreCompactor } from '../pipeline/store/index.ts';
import type { Config, Secrets } from './config/index.ts';

/** A running platform. */
export interface Platform {
  /** What runs and where, one line each, for the start banner. */
  readonly banner: readonly string[];
  readonly quotes: QuoteBook;
  stop(): Promise<void>;
}

/** Quote assets tried, longest first, when the registry does not know a symbol. */
const QUOTE_SUFFIXES = ['FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'EUR', 'TRY', 'BTC', 'ETH', 'BNB', 'USD'];

/**
 * The MCP servers `quantforge start` serves over HTTP: the configured toolsets this build has,
 * except backfill (it needs a backfill service of its own: `quantforge mcp http` serves it).
 */
export function platformMcpServers(toolsets: readonly string[]): McpServerName[] {
  return MCP_SERVER_NAMES.filter((n) => n !== 'backfill' && toolsets.includes(n));
}

/** Starts every component; resolves once data is flowing (or it is clear there is none). */
export async function startPlatform(
  deps: { logger: Logger },
  config: Config,
  secrets: Secrets,
): Promise<Platform> {
  const { logger } = deps;
  const bus = createBus({ logger }, config.bus);
  const embedded = bus.kind === 'embedded';
  const topics = loadTopics();
  await ensureTopics(bus, topics);
  if (embedded) await loadStateTopics(bus, config.store.dataDir);

  // The source starts first (the bus keeps what it produces until the pipeline reads it), so
  // the pipeline knows whether bars close by wall-clock time (live) or by event time (replay).
  const source = await startMarketSource(
    { bus, logger },
    {
      source: config.venues.source,
      binance: config.venues.binance,
      sharedDataDir: config.venues.replay.sharedDataDir,
    },
  );
  const wallClock = () => Date.now() * 1000;
  const pipeline = await startPipeline(
    { bus, logger, ...(source.wallClock ? { clock: wallClock } : {}) },
    { store: config.store, processors: config.processors },
  );
  if (source.symbols.length > 0) await pipeline.writer.upsertSymbols(source.symbols);
  const tradeTopic = topics.find((t) => t.name === TOPIC_NAMES.normTrade);
  const ticker = source.wallClock
    ? startClockTicker({ bus, logger }, { partitions: tradeTopic?.partitions ?? 1, nowUs: wallClock })
    : undefined;

  const compactor = await createStoreCompactor({ logger }, config.store);
  compactor.start();

  const assets = new Map(
    (await pipeline.reader.listSymbols()).map((s) => [
      `${s.exchangeId}:${s.venueSymbol}`,
      { base: s.baseAsset, quote: s.quoteAsset },
    ]),
  );
  const publisher = await createZmqPublisher({ logger }, config.realtime.zmq);
  const quotes = new QuoteBook();
  const bridge = await createRealtimeBridge({
    bus,
    logger,
    publisher,
    quotes,
    resolveAssets: (venue, symbol) => {
      const known = assets.get(`${venue}:${symbol}`);
      if (known) return known;
      const quote = QUOTE_SUFFIXES.find((q) => symbol.endsWith(q) && symbol.length > q.length);
      return quote ? { base: symbol.slice(0, -quote.length), quote } : undefined;
    },
  });

  // MCP over streamable HTTP for remote clients (Claude Desktop uses `quantforge mcp <server>` on stdio).
  // The backfill toolset needs a backfill service of its own and is served by `quantforge mcp http`.
  const mcpServices = config.mcp.http.enabled
    ? await openMcpServices({ dataDir: config.store.dataDir, logger })
    : undefined;
  const served = platformMcpServers(config.mcp.toolsets);
  const mcp = mcpServices
    ? await startMcpHttpServer(mcpServices, {
        servers: served,
        tokens: secrets.mcp.tokens,
        allowedHosts: config.mcp.http.allowedHosts,
        host: config.mcp.http.host,
        port: config.mcp.http.port,
      })
    : undefined;
  const tokenCount = Object.keys(secrets.mcp.tokens).length;

  const banner = [
    `bus: ${embedded ? 'embedded (in-process; processor state kept in <dataDir>/_state between runs)' : `kafka ${config.bus.kafka.brokers.join(',')}`}`,
    ...source.description.map((l, i) => (i === 0 ? `market data: ${l}` : l)),
    `pipeline: normalize → dedup → sequence → 1m bars (+ ${config.processors.bars.periods.length} derived periods, ${config.processors.indicators.length} streaming indicators) → store`,
    `store: ${config.store.dataDir} (Parquet + catalog; compaction every ${config.store.compaction.intervalMs / 1000} s)`,
    `realtime: ZeroMQ PUB at ${publisher.endpoint} (topics trade.<VENUE>.<SYMBOL>, bar.<period>.<VENUE>.<SYMBOL>, book.…, ticker.…)`,
    mcp
      ? `mcp: ${served.join(', ')} at ${mcp.url}/mcp/<server> (bearer tokens from secrets.yaml mcp.tokens: ${tokenCount}${tokenCount === 0 ? ', so every request gets 401 until you add one' : ''})`
      : 'mcp: HTTP off (mcp.http.enabled); stdio: quantforge mcp <server>',
    `query it: quantforge bars --venue BINANCE --symbol BTCUSDT --period 1m --data-dir ${config.store.dataDir}`,
  ];

  return {
    banner,
    quotes,
    async stop() {
      ticker?.stop();
      await source.stop();
      await pipeline.settled({ quietMs: 300, timeoutMs: 30_000 }).catch(() => undefined);
      await mcp?.close();
      mcpServices?.close();
      await bridge.stop();
      await publisher.close();
      await compactor.stop();
      await pipeline.stop();
      if (embedded) await saveStateTopics(bus, config.store.dataDir);
      await bus.close();
    },
  };
}
