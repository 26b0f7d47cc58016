import type { Logger } from '../../core/logger.ts';
import type { ContextResolver, MarketDataSource } from '../common/index.ts';
import type { WorkspaceStore } from '../workspace/index.ts';

/** Dependencies of the charting server. */
export interface ChartingServerDeps {
  readonly market: MarketDataSource;
  /** The caller's workspace supplies the chart, indicators and drawings when asked. */
  readonly workspaces: WorkspaceStore;
  readonly resolveContext: ContextResolver;
  readonly logger?: Logger;
  /** The chart MCP App's built page (default: dist/mcp-app/chart.html, made by `npm run build`). */
  readonly appHtmlFile?: string;
}
