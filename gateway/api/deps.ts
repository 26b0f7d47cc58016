import type { MarketDataSource } from '../../mcp-servers/common/index.ts';
import type { AlertToolsDeps } from '../../mcp-servers/market-data/index.ts';
import type { WorkspaceStore } from '../../mcp-servers/workspace/index.ts';
import type { LiveBarCache } from './live-bars.ts';

/** What the API routes read and change. */
export interface ApiDeps {
  /** The historical store (the store reader satisfies it). */
  readonly market: MarketDataSource;
  readonly workspaces: WorkspaceStore;
  /** Recent bars from the live feed; absent: everything from the store. */
  readonly liveBars?: LiveBarCache;
  /** The users' alert rules, their licence limit and workspaces (drawing_id); absent: `/alerts` answers 404. */
  readonly alerts?: AlertToolsDeps;
  /** Wall clock in epoch ms (decides how long an answer may be cached); default `Date.now`. */
  readonly now?: () => number;
}
