/** Bar queries: any period over a range, latest bars, latest bar. */
import { InvalidInputError } from '../../../core/errors.ts';
import {
  bucketStartUs,
  bucketsBack,
  nextBucket,
  type Period,
  parsePeriod,
} from '../../../core/periods/index.ts';
import type { FileEntry } from '../catalog/manifest.ts';
import { barsDataset } from '../layout.ts';
import { BAR_OUTPUT_SQL, barSourceSql, barsFromBarsSql } from '../sql/bar-sql.ts';
import type { StoredBar } from '../types.ts';
import { toBars } from './bar-rows.ts';
import {
  checkLimit,
  checkTime,
  END_OF_TIME,
  filePaths,
  type ReaderContext,
  seriesFiles,
  withRetry,
} from './context.ts';
import { filesInTimeRange, hasOverlap, newestFiles } from './file-select.ts';
import { latestBarsFromCache } from './latest-bars.ts';

/** Options of `getBars`. */
export interface BarQuery {
  readonly venue: string;
  readonly symbol: string;
  readonly period: string;
  /** Inclusive start (bar open time, µs). Absent with `limit`: the latest `limit` bars. */
  readonly fromUs?: number;
  /** Exclusive end (bar open time, µs); default: no bound. */
  readonly toUs?: number;
  readonly limit?: number;
  /**
   * `auto` (default): 1m from stored 1m bars; longer periods aggregated from stored 1m bars when
   * the range has any, else the stored bars of that period (venue klines). `1m` / `stored` force one.
   */
  readonly source?: 'auto' | '1m' | 'stored';
}

function directSql(dedup: boolean, desc: boolean): string {
  return `WITH src AS (${barSourceSql(dedup)}) SELECT ${BAR_OUTPUT_SQL} FROM src ORDER BY open_time_us ${desc ? 'DESC ' : ''}LIMIT $limit`;
}

function aggregateSql(period: Period, dedup: boolean, desc: boolean): string {
  return `WITH src AS (${barSourceSql(dedup)}), bars AS (${barsFromBarsSql(period)})
    SELECT ${BAR_OUTPUT_SQL} FROM bars ORDER BY open_time_us ${desc ? 'DESC ' : ''}LIMIT $limit`;
}

/** Bars of `period` stored directly, over [from, to) or the latest `limit`. */
async function directBars(
  ctx: ReaderContext,
  files: readonly FileEntry[],
  period: Period,
  fromUs: number | undefined,
  toUs: number,
  limit: number,
): Promise<StoredBar[]> {
  if (fromUs === undefined) {
    if (ctx.fileRows !== undefined) {
      const cached = await latestBarsFromCache(ctx, ctx.fileRows, files, period, toUs, limit);
      if (cached !== null) return cached;
    }
    const picked = newestFiles(files, limit, toUs);
    if (picked.length === 0) return [];
    const dedup = hasOverlap(picked);
    const params = { files: filePaths(ctx, picked), from: 0, to: toUs, limit };
    const bars = await ctx.runner.rows(directSql(dedup, true), params, `bars|${period}|desc`, (c) =>
      toBars(period, c, true),
    );
    const eligible = files.filter((f) => f.minTimeUs < toUs);
    // Duplicates across files may leave fewer distinct bars than rows counted: widen once.
    if (bars.length < limit && picked.length < eligible.length) {
      const all = { ...params, files: filePaths(ctx, eligible) };
      return ctx.runner.rows(directSql(hasOverlap(eligible), true), all, `bars|${period}|desc`, (c) =>
        toBars(period, c, true),
      );
    }
    return bars;
  }
  const picked = filesInTimeRange(files, fromUs, toUs);
  if (picked.length === 0) return [];
  const params = { files: filePaths(ctx, picked), from: fromUs, to: toUs, limit };
  return ctx.runner.rows(directSql(hasOverlap(picked), false), params, `bars|${period}|asc`, (c) =>
    toBars(period, c),
  );
}

/** Bars of `period` aggregated in SQL from stored 1m bars. */
async function aggregatedBars(
  ctx: ReaderContext,
  files: readonly FileEntry[],
  period: Period,
  fromUs: number | undefined,
  toUs: number,
  limit: number,
): Promise<StoredBar[]> {
  let from: number;
  if (fromUs === undefined) {
    let latest = Number.NEGATIVE_INFINITY;
    for (const f of files) if (f.minTimeUs < toUs) latest = Math.max(latest, Math.min(f.maxTimeUs, toUs - 1));
    if (latest === Number.NEGATIVE_INFINITY) return [];
    from = bucketsBack(period, bucketStartUs(period, latest), limit - 1);
  } else {
    from = bucketStartUs(period, fromUs);
  }
  // Whole buckets: read 1m bars up to the end of the bucket holding the last requested open time.
  const srcTo = toUs >= END_OF_TIME ? toUs : nextBucket(period, bucketStartUs(period, toUs - 1));
  const picked = filesInTimeRange(files, from, srcTo);
  if (picked.length === 0) return [];
  const params = { files: filePaths(ctx, picked), from, to: srcTo, limit };
  const desc = fromUs === undefined;
  const sql = aggregateSql(period, hasOverlap(picked), desc);
  return ctx.runner.rows(sql, params, `bars|${period}|${desc}`, (c) => toBars(period, c, desc));
}

/** Bars for any listed period; see {@link BarQuery}. */
export function getBars(ctx: ReaderContext, q: BarQuery): Promise<StoredBar[]> {
  const period = parsePeriod(q.period);
  const toUs = checkTime('toUs', q.toUs, END_OF_TIME);
  const fromUs = q.fromUs === undefined ? undefined : checkTime('fromUs', q.fromUs, 0);
  if (fromUs !== undefined && fromUs >= toUs) {
    throw new InvalidInputError('fromUs', `${fromUs} is not before toUs ${toUs}`);
  }
  const limit = checkLimit(ctx, q.limit);
  const source = q.source ?? 'auto';
  return withRetry(async () => {
    const oneMinute = seriesFiles(ctx, barsDataset('1m'), q.venue, q.symbol);
    if (period === '1m') return directBars(ctx, oneMinute, period, fromUs, toUs, limit);
    const stored = seriesFiles(ctx, barsDataset(period), q.venue, q.symbol);
    if (source === 'stored') return directBars(ctx, stored, period, fromUs, toUs, limit);
    if (source === '1m') return aggregatedBars(ctx, oneMinute, period, fromUs, toUs, limit);
    const lo = fromUs === undefined ? 0 : bucketStartUs(period, fromUs);
    const useOneMinute = stored.length === 0 || filesInTimeRange(oneMinute, lo, toUs).length > 0;
    return useOneMinute
      ? aggregatedBars(ctx, oneMinute, period, fromUs, toUs, limit)
      : directBars(ctx, stored, period, fromUs, toUs, limit);
  });
}

/** The latest bar of a period (aggregated ones may still be forming), or null. */
export async function latestBar(
  ctx: ReaderContext,
  q: Omit<BarQuery, 'fromUs' | 'limit'>,
): Promise<StoredBar | null> {
  const bars = await getBars(ctx, { ...q, limit: 1 });
  return bars[0] ?? null;
}
