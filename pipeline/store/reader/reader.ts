/**
 * The store reader: an in-memory DuckDB over the Parquet files the catalog lists. It never
 * takes a lock and never blocks a writer; each query reads the snapshot current when it starts.
 */
import type { Logger } from '../../../core/logger.ts';
import { createCatalog } from '../catalog/catalog.ts';
import type { StoreConfig } from '../config.ts';
import { openDuckSession } from '../duckdb/session.ts';
import type {
  BarCoverage,
  SeriesRef,
  SeriesSummary,
  StoredBar,
  StoredTrade,
  SymbolRecord,
  TradeGaps,
} from '../types.ts';
import { type BarQuery, getBars, latestBar } from './bars.ts';
import type { ReaderContext } from './context.ts';
import { barCoverage, describeSeries } from './coverage.ts';
import { createFileRowCache } from './file-rows.ts';
import { createQueryRunner } from './query-runner.ts';
import { createSymbolCache } from './symbols.ts';
import { barsFromTrades, getTrades, seqToTime, type TradeQuery, timeToSeq, tradeGaps } from './trades.ts';

/** Injected dependencies of the reader (all optional). */
export interface StoreReaderDeps {
  readonly logger?: Logger;
}

/** Handle on a store reader. Results are arrays of typed rows with exact decimal strings. */
export interface StoreReader {
  /** Bars of any period over [fromUs, toUs), or the latest `limit` bars when `fromUs` is absent. */
  getBars(q: BarQuery): Promise<StoredBar[]>;
  /** The latest bar of a period, or null. */
  latestBar(q: Omit<BarQuery, 'fromUs' | 'limit'>): Promise<StoredBar | null>;
  /** Trades by time range [fromUs, toUs) or seq range [fromSeq, toSeq], in seq order. */
  getTrades(q: TradeQuery): Promise<StoredTrade[]>;
  /** Time of trade `seq`, or null. */
  seqToTime(q: SeriesRef & { seq: number }): Promise<number | null>;
  /** First trade at/after (default) or last at/before `timeUs`. */
  timeToSeq(
    q: SeriesRef & { timeUs: number; direction?: 'atOrAfter' | 'atOrBefore' },
  ): Promise<{ seq: number; timeUs: number } | null>;
  /** Bars built straight from stored trades (the reference for derived bars). */
  barsFromTrades(q: SeriesRef & { period: string; fromUs?: number; toUs?: number }): Promise<StoredBar[]>;
  /** Missing bar periods (default 1m) over a range. */
  barCoverage(
    q: SeriesRef & { fromUs: number; toUs: number; period?: string; maxGaps?: number },
  ): Promise<BarCoverage>;
  /** Venue trade-id holes and seq holes of stored trades. */
  tradeGaps(q: SeriesRef & { fromUs?: number; toUs?: number; maxGaps?: number }): Promise<TradeGaps>;
  /** Catalog-only summary of stored series (files, rows, time and seq ranges, dates). */
  describeSeries(filter?: { dataset?: string; venue?: string; symbol?: string }): SeriesSummary[];
  /** Symbol registry entries (latest upsert each), optionally of one venue. */
  listSymbols(venue?: string): Promise<SymbolRecord[]>;
  /** One registry entry, or null. */
  getSymbol(venue: string, venueSymbol: string): Promise<SymbolRecord | null>;
  /** The catalog version queries currently see. */
  version(): number;
  close(): void;
}

/**
 * Creates a reader over `config.dataDir`.
 * @example
 * const reader = await createStoreReader({}, parseStoreConfig({ dataDir: './data' }));
 * const bars = await reader.getBars({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '1h', limit: 24 });
 */
export async function createStoreReader(_deps: StoreReaderDeps, config: StoreConfig): Promise<StoreReader> {
  const catalog = createCatalog(config.dataDir, config.lock, { create: false });
  const runner = createQueryRunner(() => openDuckSession(config.duckdb), {
    recycleAfterFiles: 50_000,
    cacheRows: config.query.resultCacheRows,
  });
  const ctx: ReaderContext = {
    catalog,
    runner,
    dataDir: config.dataDir,
    maxRows: config.query.maxRows,
    ...(config.query.fileCacheRows > 0 ? { fileRows: createFileRowCache(config.query.fileCacheRows) } : {}),
  };
  const listSymbols = createSymbolCache(ctx);
  return {
    getBars: async (q) => getBars(ctx, q),
    latestBar: async (q) => latestBar(ctx, q),
    getTrades: async (q) => getTrades(ctx, q),
    seqToTime: async (q) => seqToTime(ctx, q),
    timeToSeq: async (q) => timeToSeq(ctx, q),
    barsFromTrades: async (q) => barsFromTrades(ctx, q),
    barCoverage: async (q) => barCoverage(ctx, q),
    tradeGaps: async (q) => tradeGaps(ctx, q),
    describeSeries: (filter) => describeSeries(ctx, filter),
    listSymbols,
    async getSymbol(venue, venueSymbol) {
      const rows = await listSymbols(venue);
      return rows.find((r) => r.venueSymbol === venueSymbol) ?? null;
    },
    version: () => catalog.current().version,
    close: () => runner.close(),
  };
}
