/**
 * The store writer: buffers trades and bars, and on flush writes one Parquet file per partition
 * (venue, symbol, UTC date) and makes all of them visible in one catalog commit.
 */

import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../core/logger.ts';
import type { AddedFile } from '../catalog/catalog.ts';
import { createCatalog } from '../catalog/catalog.ts';
import type { StoreConfig } from '../config.ts';
import { openDuckSession } from '../duckdb/session.ts';
import { catalogKey, partitionDir, SYMBOLS_DATASET, TRADES_DATASET } from '../layout.ts';
import type { BarRow, TradeBytes, TradeRow } from '../types.ts';
import { BarBuffer, type BarGroup } from './bar-buffer.ts';
import { barStage } from './bar-stage.ts';
import { inlineBarsOf } from './inline-bars.ts';
import { copyToParquet } from './parquet-file.ts';
import { symbolsSelectSql } from './select-sql.ts';
import { createStage, fillStage } from './staging.ts';
import { encodeSymbols, SYMBOL_STAGE } from './symbol-rows.ts';
import { TradeBuffer, type TradeGroup } from './trade-buffer.ts';
import { tradeStage } from './trade-stage.ts';

/** DuckDB worker threads of a writer's session (see `createStoreWriter`). */
export const WRITER_THREADS = 1;

/**
 * Compression of flush files: snappy costs less CPU to write than zstd (5-15% of a flush's CPU);
 * the files are ~2x larger until compaction merges them into zstd files.
 */
const FLUSH_COMPRESSION = 'snappy';

/** Injected dependencies of the writer (all optional). */
export interface StoreWriterDeps {
  readonly logger?: Logger;
}

/** Handle on a store writer. Appends are buffered; `flush` makes them visible atomically. */
export interface StoreWriter {
  /** Validates and buffers trades (each row names its venue and symbol); may trigger a flush. */
  appendTrades(rows: readonly TradeRow[]): Promise<void>;
  /**
   * Validates and buffers one trade given as byte ranges of a bus record (no strings made for
   * its prices, sizes or numeric ids; the store sink's path). Throws InvalidInputError, keeping
   * nothing of the trade, when it is invalid. Never flushes: call `flush` after a batch.
   */
  pushTradeBytes(trade: TradeBytes): void;
  /** Validates and buffers bars of any period; a later revision of a bar replaces the earlier. */
  appendBars(rows: readonly BarRow[]): Promise<void>;
  /** Writes and commits symbol registry entries right away; returns the catalog version. */
  upsertSymbols(rows: readonly unknown[]): Promise<number>;
  /** Writes everything buffered and commits it in one catalog commit; returns the version (null if nothing). */
  flush(): Promise<number | null>;
  /** Rows waiting for the next flush. */
  readonly buffered: number;
  /** Flushes and releases DuckDB. */
  close(): Promise<void>;
}

/**
 * Creates a writer over `config.dataDir`.
 * @example
 * const writer = await createStoreWriter({}, parseStoreConfig({ dataDir: './data' }));
 * await writer.appendTrades(rows); await writer.flush();
 */
export async function createStoreWriter(deps: StoreWriterDeps, config: StoreConfig): Promise<StoreWriter> {
  const catalog = createCatalog(config.dataDir, config.lock);
  // One DuckDB thread: a flush writes one small file per partition (usually under one row group),
  // which a second thread cannot speed up but costs ~20-30% more CPU per file in wakeups and
  // hand-offs, CPU the rest of the pipeline needs. The reader and compactor keep `duckdb.threads`.
  const session = await openDuckSession({ ...config.duckdb, threads: WRITER_THREADS });
  const conn = session.connection;
  await createStage(conn, 'stage_symbols', SYMBOL_STAGE);
  const trades = new TradeBuffer();
  const bars = new BarBuffer();
  // One flush at a time: DuckDB work and commits are serialized through this chain.
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  // Monotonic µs stamp of symbol upserts (later wins even within one millisecond).
  let lastStampUs = 0;

  function serialize<T>(job: () => Promise<T>): Promise<T> {
    const next = chain.then(job, job);
    chain = next.catch(() => undefined);
    return next;
  }

  async function writeTradeGroup(g: TradeGroup, nowMs: number): Promise<AddedFile> {
    const stage = tradeStage(g);
    await createStage(conn, 'stage_trades', stage.columns);
    await fillStage(session, 'stage_trades', stage.columns, stage.values, { fresh: true });
    const dir = partitionDir(TRADES_DATASET, g.venue, g.symbol, g.date);
    const file = await copyToParquet(conn, config.dataDir, dir, stage.select, nowMs, FLUSH_COMPRESSION);
    const rows = g.unordered ? new Set(g.seq.subarray(0, g.length)).size : g.length;
    return {
      key: catalogKey(TRADES_DATASET, g.venue, g.symbol),
      dataset: TRADES_DATASET,
      venue: g.venue,
      symbol: g.symbol,
      entry: {
        path: file.path,
        date: g.date,
        rows,
        bytes: file.bytes,
        minTimeUs: g.minTimeUs,
        maxTimeUs: g.maxTimeUs,
        minSeq: g.minSeq,
        maxSeq: g.maxSeq,
      },
    };
  }

  async function writeBarGroup(g: BarGroup, nowMs: number): Promise<AddedFile> {
    const stage = barStage(g);
    await createStage(conn, 'stage_bars', stage.columns);
    await fillStage(session, 'stage_bars', stage.columns, stage.values, { fresh: true });
    const dir = partitionDir(g.dataset, g.venue, g.symbol, g.date);
    const file = await copyToParquet(conn, config.dataDir, dir, stage.select, nowMs, FLUSH_COMPRESSION);
    const bars = inlineBarsOf(g);
    return {
      key: catalogKey(g.dataset, g.venue, g.symbol),
      dataset: g.dataset,
      venue: g.venue,
      symbol: g.symbol,
      entry: {
        path: file.path,
        date: g.date,
        rows: g.cols[0]!.length,
        bytes: file.bytes,
        minTimeUs: g.minTimeUs,
        maxTimeUs: g.maxTimeUs,
        minSeq: null,
        maxSeq: null,
        ...(bars === undefined ? {} : { bars }),
      },
    };
  }

  /** Commits `added`; on failure deletes the written files (they were never visible). */
  async function commitFiles(added: AddedFile[]): Promise<number> {
    // The partition directories (where the files were renamed) are fsynced by the commit,
    // alongside its own files and before its commit point.
    const dirs = new Set(added.map((a) => join(config.dataDir, a.entry.path, '..')));
    return catalog.commit({ add: added, syncDirs: [...dirs] });
  }

  function discard(added: readonly AddedFile[]): void {
    for (const a of added) {
      try {
        unlinkSync(join(config.dataDir, a.entry.path));
      } catch {
        // GC removes uncommitted files later.
      }
    }
  }

  async function doFlush(): Promise<number | null> {
    const tradeGroups = trades.take();
    const barGroups = bars.take();
    if (tradeGroups.length === 0 && barGroups.length === 0) return null;
    const added: AddedFile[] = [];
    const nowMs = Date.now();
    try {
      for (const g of tradeGroups) added.push(await writeTradeGroup(g, nowMs));
      for (const g of barGroups) added.push(await writeBarGroup(g, nowMs));
      const version = await commitFiles(added);
      deps.logger?.debug({ version, files: added.length }, 'store flush committed');
      // Committed: the groups' arrays are free for the next rows.
      trades.recycle(tradeGroups);
      return version;
    } catch (err) {
      discard(added);
      trades.restore(tradeGroups);
      bars.restore(barGroups);
      throw err;
    }
  }

  const flush = () => serialize(doFlush);

  async function maybeFlush(): Promise<void> {
    if (trades.rows + bars.rows >= config.flush.maxRows) await flush();
  }

  const timer =
    config.flush.intervalMs > 0
      ? setInterval(() => {
          if (trades.rows + bars.rows === 0) return;
          flush().catch((err: unknown) =>
            deps.logger?.warn({ err }, 'store flush failed; rows kept for retry'),
          );
        }, config.flush.intervalMs)
      : null;
  timer?.unref();

  return {
    async appendTrades(rows) {
      trades.add(rows);
      await maybeFlush();
    },
    pushTradeBytes(trade) {
      trades.pushBytes(trade);
    },
    async appendBars(rows) {
      bars.add(rows);
      await maybeFlush();
    },
    async upsertSymbols(rows) {
      const byVenue = encodeSymbols(rows, () => {
        lastStampUs = Math.max(Date.now() * 1000, lastStampUs + 1);
        return lastStampUs;
      });
      return serialize(async () => {
        const added: AddedFile[] = [];
        try {
          for (const [venue, cols] of byVenue) {
            await fillStage(session, 'stage_symbols', SYMBOL_STAGE, cols);
            const dir = partitionDir(SYMBOLS_DATASET, venue, '', null);
            const file = await copyToParquet(
              conn,
              config.dataDir,
              dir,
              symbolsSelectSql('stage_symbols'),
              Date.now(),
            );
            const now = Date.now() * 1000;
            added.push({
              key: catalogKey(SYMBOLS_DATASET, venue, ''),
              dataset: SYMBOLS_DATASET,
              venue,
              symbol: '',
              entry: {
                path: file.path,
                date: null,
                rows: cols[0]!.length,
                bytes: file.bytes,
                minTimeUs: now,
                maxTimeUs: now,
                minSeq: null,
                maxSeq: null,
              },
            });
          }
          return await commitFiles(added);
        } catch (err) {
          discard(added);
          throw err;
        }
      });
    },
    flush,
    get buffered() {
      return trades.rows + bars.rows;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== null) clearInterval(timer);
      try {
        await flush();
      } finally {
        await chain;
        session.close();
      }
    },
  };
}
