/**
 * What the MCP servers of one process share: the store reader, the workspace files, the
 * `series://` references (files under `<dataDir>/series/`, shared with every other process over
 * the same data dir) and the logger. Opened once by an entry point (stdio, HTTP).
 */
import { join } from 'node:path';
import { createLogger, type Logger } from '../core/logger.ts';
import { type AlertRuleStore, createAlertRuleStore } from '../pipeline/alerts/index.ts';
import { createStoreReader, parseStoreConfig, type StoreConfig } from '../pipeline/store/index.ts';
import type { BackfillJobs } from './backfill/index.ts';
import { createSeriesRegistry, type MarketDataSource, type SeriesRegistry } from './common/index.ts';
import { createWatchRegistry, type WatchRegistry } from './market-data/index.ts';
import {
  openResearchService,
  type ResearchService,
  type ResearchServiceOptions,
} from './research/service.ts';
import { createWorkspaceStore, type WorkspaceStore } from './workspace/index.ts';

/** Shared services of the servers in one process. */
export interface McpServices {
  readonly market: MarketDataSource;
  readonly workspaces: WorkspaceStore;
  readonly series: SeriesRegistry;
  readonly watches: WatchRegistry;
  /** The users' alert rules (`<dataDir>/alerts/`), read by the alerts stage. */
  readonly alerts: AlertRuleStore;
  /** Most alert rules a user of each licence tier may hold; a tier not named holds none. */
  readonly alertLimits: Readonly<Record<string, number>>;
  /** Backfill jobs; absent when no backfill service runs in this process (the backfill server is then off). */
  readonly backfill?: BackfillJobs;
  /** The research sandbox and folders; absent: the research server makes one over `dataDir` with defaults. */
  readonly research?: ResearchService;
  readonly logger: Logger;
  /** Data directory (store root; workspaces under `workspaces/`). */
  readonly dataDir: string;
}

/** Options of {@link openMcpServices}. */
export interface OpenMcpServicesOptions {
  readonly dataDir: string;
  /** The store's full configuration (query limits, DuckDB settings); default: the defaults over `dataDir`. */
  readonly store?: StoreConfig;
  readonly logger?: Logger;
  readonly backfill?: BackfillJobs;
  /** Licence tier → most alert rules per user (app/: config licences.tiers.<tier>.alerts); default none. */
  readonly alertLimits?: Readonly<Record<string, number>>;
  /**
   * The research server's folders, venv, idle time and licence policy (see ResearchServiceOptions);
   * defaults: `<dataDir>/research`, `<repo>/.venv-research`, 30 minutes, persistent unless `free`.
   */
  readonly research?: Omit<ResearchServiceOptions, 'dataDir'>;
}

/** Opens the store reader and the rest over `dataDir`; `close` releases DuckDB. */
export async function openMcpServices(
  options: OpenMcpServicesOptions,
): Promise<McpServices & { close(): void }> {
  const logger = options.logger ?? createLogger({ name: 'mcp' });
  const reader = await createStoreReader(
    { logger },
    options.store ?? parseStoreConfig({ dataDir: options.dataDir }),
  );
  const series = createSeriesRegistry({ dataDir: options.dataDir });
  const research = openResearchService({ ...options.research, dataDir: options.dataDir });
  return {
    market: reader,
    workspaces: createWorkspaceStore({ dataDir: options.dataDir }),
    series,
    watches: createWatchRegistry({ market: reader }),
    alerts: createAlertRuleStore({ dataDir: options.dataDir }),
    alertLimits: options.alertLimits ?? {},
    ...(options.backfill === undefined ? {} : { backfill: options.backfill }),
    research,
    logger,
    dataDir: options.dataDir,
    close: () => {
      research.close();
      series.close();
      reader.close();
    },
  };
}

/** Where the workspaces of `dataDir` live (for docs and tests). */
export function workspacesDir(dataDir: string): string {
  return join(dataDir, 'workspaces');
}
