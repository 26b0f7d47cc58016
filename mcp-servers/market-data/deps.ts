import type { Logger } from '../../core/logger.ts';
import type { AlertRuleStore } from '../../pipeline/alerts/index.ts';
import type { ContextResolver, MarketDataSource, SeriesRegistry } from '../common/index.ts';
import type { WorkspaceStore } from '../workspace/index.ts';
import type { WatchRegistry } from './watch.ts';

/** Dependencies of the market-data server. */
export interface MarketDataServerDeps {
  readonly market: MarketDataSource;
  readonly series: SeriesRegistry;
  readonly resolveContext: ContextResolver;
  /** Live subscriptions; without it the watch_* tools are not offered. */
  readonly watches?: WatchRegistry;
  /** The caller's alert rules; without it the create/list/delete_alert tools are not offered. */
  readonly alerts?: AlertToolsDeps;
  readonly logger?: Logger;
  /** Clock (ms) for quote ages; default `Date.now`. */
  readonly now?: () => number;
}

export { MARKET_TYPE_NAMES as MARKET_TYPES } from '../../proto/index.ts';

/** What the alert tools need besides the market. */
export interface AlertToolsDeps {
  readonly rules: AlertRuleStore;
  readonly workspaces: WorkspaceStore;
  /** Most rules a user of `licence` may hold (0: alerts not in this licence). */
  readonly limitOf: (licence: string) => number;
}
