/**
 * The historical store: immutable Parquet files partitioned by dataset/venue/symbol/date, made
 * visible only by atomic catalog commits, compacted in the background, queried with DuckDB.
 *
 * Writers, readers and the compactor are separate handles (usually separate processes); each
 * uses its own in-memory DuckDB, so no process holds a database-file lock another could hit.
 * Readers never wait: they read `_catalog/CURRENT` and the manifests it names.
 *
 * @example
 * const config = parseStoreConfig({ dataDir: './data' });
 * const writer = await createStoreWriter({ logger }, config);
 * await writer.appendTrades(trades); await writer.flush();
 * const reader = await createStoreReader({}, config);
 * const bars = await reader.getBars({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '1h', limit: 24 });
 */
export {
  type CompactionReport,
  createStoreCompactor,
  type StoreCompactor,
  type StoreCompactorDeps,
} from './compaction/compactor.ts';
export type { GcReport } from './compaction/gc.ts';
export { parseStoreConfig, type StoreConfig, type StoreConfigInput, StoreConfigSchema } from './config.ts';
export { StoreConflictError, StoreCorruptError, StoreError, StoreLockError } from './errors.ts';
export { barsDataset, SYMBOLS_DATASET, TRADES_DATASET } from './layout.ts';
export type { BarQuery } from './reader/bars.ts';
export { createStoreReader, type StoreReader, type StoreReaderDeps } from './reader/reader.ts';
export type { TradeQuery } from './reader/trades.ts';
export type {
  BarCoverage,
  BarRow,
  SeriesRef,
  SeriesSummary,
  StoredBar,
  StoredTrade,
  SymbolRecord,
  TradeBytes,
  TradeGaps,
  TradeRow,
} from './types.ts';
export { checkBarRow } from './writer/bar-buffer.ts';
export { createStoreWriter, type StoreWriter, type StoreWriterDeps } from './writer/writer.ts';
