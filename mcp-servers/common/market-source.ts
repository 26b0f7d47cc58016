/**
 * What the servers read from the historical store. The store reader (`pipeline/store`)
 * satisfies it as is; tests and other sources (a remote store, a cache) can implement it.
 *
 * Required: every method. All times are epoch µs; prices and sizes exact decimal strings.
 */
import type { StoreReader } from '../../pipeline/store/index.ts';

export type MarketDataSource = Pick<
  StoreReader,
  | 'getBars'
  | 'latestBar'
  | 'getTrades'
  | 'barCoverage'
  | 'tradeGaps'
  | 'describeSeries'
  | 'listSymbols'
  | 'getSymbol'
>;
