import type { Logger } from '../../core/logger.ts';
import type { ContextResolver, MarketDataSource, SeriesRegistry } from '../common/index.ts';

/** Dependencies of the indicators server. */
export interface IndicatorsServerDeps {
  readonly market: MarketDataSource;
  readonly series: SeriesRegistry;
  readonly resolveContext: ContextResolver;
  readonly logger?: Logger;
}
