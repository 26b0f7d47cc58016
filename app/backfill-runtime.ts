/**
 * The backfill service outside `quantforge start` (`quantforge mcp backfill`, `mcp http`): an
 * embedded pipeline session over the store (so backfilled records go through dedup, sequencing
 * and bars like live ones) and the pipeline's backfill service over every Binance market's
 * REST API, wrapped in the job registry the backfill MCP server drives.
 */
import type { Logger } from '../core/logger.ts';
import { type BackfillJobs, createBackfillJobs } from '../mcp-servers/backfill/jobs.ts';
import { createBackfillService } from '../pipeline/backfill/index.ts';
import { openPipelineSession } from '../pipeline/runtime/index.ts';
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
  const session = await openPipelineSession(
    { logger },
    { bus: { ...config.bus, kind: 'embedded' }, store, processors: config.processors },
  );
  const pipeline = await session.start();
  const service = createBackfillService(
    {
      bus: session.bus,
      logger,
      venues: createBinanceMarketApis({ logger }, config.venues.binance),
      reader: pipeline.reader,
      settle: async () => {
        await pipeline.settled({ quietMs: 750 });
      },
    },
    { dedupWindowIds: config.processors.dedup.windowIds },
  );
  return { jobs: createBackfillJobs(service), close: session.close };
}
