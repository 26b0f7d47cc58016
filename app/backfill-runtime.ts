/**
 * Entry-point wiring for the backfill server outside `quantforge start`: an embedded bus and
 * pipeline over the store (so backfilled records go through dedup, sequencing and bars like
 * live ones) and the pipeline's backfill service over every Binance market's REST API.
 * `quantforge start` hands its own backfill service to the servers instead.
 */

import type { Logger } from '../core/logger.ts';
import { type BackfillJobs, createBackfillJobs } from '../mcp-servers/backfill/jobs.ts';
import { createBackfillService } from '../pipeline/backfill/index.ts';
import { createBus } from '../pipeline/bus/index.ts';
import { ensureTopics, loadTopics } from '../pipeline/bus/topics.ts';
import { startPipeline } from '../pipeline/runtime/pipeline.ts';
import { loadStateTopics, saveStateTopics } from '../pipeline/runtime/state-files.ts';
import type { StoreConfig } from '../pipeline/store/index.ts';
import { createBinanceMarketApis } from '../pipeline/venues/binance/index.ts';
import type { Config } from './config/index.ts';

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
  await loadStateTopics(bus, store.dataDir);
  const pipeline = await startPipeline({ bus, logger }, { store, processors: config.processors });
  const service = createBackfillService(
    {
      bus,
      logger,
      venues: createBinanceMarketApis({ logger }, config.venues.binance),
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
      await saveStateTopics(bus, store.dataDir);
      await pipeline.stop();
      await bus.close();
    },
  };
}
