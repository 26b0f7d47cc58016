/**
 * Entry-point wiring for the backfill server outside `quantforge start`: an embedded bus and
 * pipeline over the store (so backfilled records go through dedup, sequencing and bars like
 * live ones) and the pipeline's backfill service over every Binance market's REST API.
 * `quantforge start` hands its own backfill service to the servers instead.
 */
import type { Config } from '../../core/config/index.ts';
import type { Logger } from '../../core/logger.ts';
import { createBackfillService } from '../../pipeline/backfill/index.ts';
import { createBus } from '../../pipeline/bus/index.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import { PROCESSOR_TOPICS } from '../../pipeline/processors/index.ts';
import { startPipeline } from '../../pipeline/runtime/pipeline.ts';
import { loadStateTopics, saveStateTopics } from '../../pipeline/runtime/state-files.ts';
import type { StoreConfig } from '../../pipeline/store/index.ts';
import {
  BINANCE_MARKETS,
  type BinanceMarketApi,
  binanceConfigSchema,
  createBinanceHttpClient,
  createBinanceMarketApi,
  resolveEndpoints,
  VENUE_IDS,
} from '../../pipeline/venues/binance/index.ts';
import { type BackfillJobs, createBackfillJobs } from './jobs.ts';

const STATE_TOPICS = [
  PROCESSOR_TOPICS.stateDedup,
  PROCESSOR_TOPICS.stateSequencer,
  PROCESSOR_TOPICS.stateBars,
];

function binanceMarkets(config: Config, logger: Logger): Record<string, BinanceMarketApi> {
  const out: Record<string, BinanceMarketApi> = {};
  for (const market of BINANCE_MARKETS) {
    const entry =
      config.venues.binance.find((b) => b.market === market) ??
      binanceConfigSchema.parse({ market, symbols: ['BTCUSDT'] });
    const ep = resolveEndpoints(entry);
    const http = createBinanceHttpClient(
      { logger },
      {
        baseUrl: ep.restBaseUrl,
        timeoutMs: entry.rest.timeoutMs,
        maxRetries: entry.rest.maxRetries,
        maxWaitMs: entry.rest.maxWaitMs,
        weightLimitPerMinute: ep.weightLimitPerMinute,
      },
    );
    out[VENUE_IDS[market]] = createBinanceMarketApi(http, market);
  }
  return out;
}

/** A running backfill runtime. */
export interface BackfillRuntime {
  readonly jobs: BackfillJobs;
  close(): Promise<void>;
}

/** Starts the embedded pipeline and the backfill service over `store`. */
export async function openBackfillRuntime(
  config: Config,
  store: StoreConfig,
  logger: Logger,
): Promise<BackfillRuntime> {
  const bus = createBus({ logger }, { ...config.bus, kind: 'embedded' });
  await ensureTopics(bus, loadTopics());
  await loadStateTopics(bus, store.dataDir, STATE_TOPICS);
  const pipeline = await startPipeline({ bus, logger }, { store, processors: config.processors });
  const service = createBackfillService(
    {
      bus,
      logger,
      venues: binanceMarkets(config, logger),
      reader: pipeline.reader,
      settle: async () => {
        await pipeline.settled({ quietMs: 750 });
      },
    },
    { dedupWindowIds: config.processors.dedup.windowIds },
  );
  return {
    jobs: createBackfillJobs(service),
    async close() {
      await saveStateTopics(bus, store.dataDir, STATE_TOPICS);
      await pipeline.stop();
      await bus.close();
    },
  };
}
