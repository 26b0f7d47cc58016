/** Trade queries: by time or seq range, seq<->time, trade-id gaps, and bars built from trades. */
import { InvalidInputError } from '../../../core/errors.ts';
import { bucketStartUs, nextBucket, parsePeriod } from '../../../core/periods/index.ts';
import { decimalValueToString as dec } from '../decimal.ts';
import { TRADES_DATASET } from '../layout.ts';
import { BAR_OUTPUT_SQL, barsFromTradesSql, tradeSourceSql } from '../sql/bar-sql.ts';
import type { SeriesRef, StoredBar, StoredTrade, TradeGaps } from '../types.ts';
import { toBars } from './bar-rows.ts';
import {
  checkLimit,
  checkMaxGaps,
  checkTime,
  END_OF_TIME,
  filePaths,
  type ReaderContext,
  seriesFiles,
  withRetry,
} from './context.ts';
import {
  filesAtOrAfter,
  filesAtOrBefore,
  filesInSeqRange,
  filesInTimeRange,
  hasOverlap,
} from './file-select.ts';
import type { Columns } from './query-runner.ts';

/** Options of `getTrades`: a time range, or a seq range (inclusive), and a limit. */
export interface TradeQuery extends SeriesRef {
  readonly fromUs?: number;
  readonly toUs?: number;
  readonly fromSeq?: number;
  readonly toSeq?: number;
  readonly limit?: number;
}

const TRADE_OUTPUT_SQL = `seq::DOUBLE, time_us::DOUBLE, trade_id, price, quantity, quote_quantity, side::INTEGER, coalesce(first_trade_id::VARCHAR, ''),
  coalesce(last_trade_id::VARCHAR, ''), trade_count::DOUBLE, best_match`;

const BY_TIME = 'time_us >= $from AND time_us < $to';
const BY_SEQ = 'seq >= $from AND seq <= $to';

/** Turns result columns (TRADE_OUTPUT_SQL order) into trades. */
function toTrades(c: Columns): StoredTrade[] {
  const n = c[0]?.length ?? 0;
  const out: StoredTrade[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      seq: c[0]![i] as number,
      timeUs: c[1]![i] as number,
      tradeId: c[2]![i] as string,
      price: dec(c[3]![i]),
      quantity: dec(c[4]![i]),
      quoteQuantity: dec(c[5]![i]),
      aggressor: c[6]![i] as number,
      firstTradeId: c[7]![i] as string,
      lastTradeId: c[8]![i] as string,
      tradeCount: c[9]![i] as number,
      bestMatch: c[10]![i] as boolean,
    };
  }
  return out;
}

/** Trades over a time range [fromUs, toUs) or a seq range [fromSeq, toSeq], in seq order. */
export function getTrades(ctx: ReaderContext, q: TradeQuery): Promise<StoredTrade[]> {
  const bySeq = q.fromSeq !== undefined || q.toSeq !== undefined;
  if (bySeq && (q.fromUs !== undefined || q.toUs !== undefined)) {
    throw new InvalidInputError(
      'fromSeq',
      'give a time range (fromUs/toUs) or a seq range (fromSeq/toSeq), not both',
    );
  }
  const from = bySeq ? checkTime('fromSeq', q.fromSeq, 1) : checkTime('fromUs', q.fromUs, 0);
  const to = bySeq ? checkTime('toSeq', q.toSeq, END_OF_TIME) : checkTime('toUs', q.toUs, END_OF_TIME);
  const limit = checkLimit(ctx, q.limit);
  return withRetry(async () => {
    const all = seriesFiles(ctx, TRADES_DATASET, q.venue, q.symbol);
    const files = bySeq ? filesInSeqRange(all, from, to) : filesInTimeRange(all, from, to);
    if (files.length === 0) return [];
    const sql = `WITH src AS (${tradeSourceSql(hasOverlap(files), bySeq ? BY_SEQ : BY_TIME)})
      SELECT ${TRADE_OUTPUT_SQL} FROM src ORDER BY seq LIMIT $limit`;
    return ctx.runner.rows(sql, { files: filePaths(ctx, files), from, to, limit }, 'trades', toTrades);
  });
}

/** The time (µs) of trade `seq`, or null when it is not stored. */
export function seqToTime(ctx: ReaderContext, q: SeriesRef & { seq: number }): Promise<number | null> {
  const seq = checkTime('seq', q.seq, 0);
  return withRetry(async () => {
    const files = filesInSeqRange(seriesFiles(ctx, TRADES_DATASET, q.venue, q.symbol), seq, seq);
    if (files.length === 0) return null;
    const c = await ctx.runner.run(
      'SELECT time_us::DOUBLE FROM read_parquet($files) WHERE seq = $seq LIMIT 1',
      {
        files: filePaths(ctx, files),
        seq,
      },
    );
    return (c[0]?.[0] as number | undefined) ?? null;
  });
}

/**
 * The trade nearest `timeUs`: by default the first at or after it (lowest seq among equal
 * times); with `atOrBefore` the last at or before it (highest seq). Null when there is none.
 */
export function timeToSeq(
  ctx: ReaderContext,
  q: SeriesRef & { timeUs: number; direction?: 'atOrAfter' | 'atOrBefore' },
): Promise<{ seq: number; timeUs: number } | null> {
  const t = checkTime('timeUs', q.timeUs, 0);
  const before = q.direction === 'atOrBefore';
  return withRetry(async () => {
    const all = seriesFiles(ctx, TRADES_DATASET, q.venue, q.symbol);
    const files = before ? filesAtOrBefore(all, t) : filesAtOrAfter(all, t);
    if (files.length === 0) return null;
    const sql = before
      ? 'SELECT seq::DOUBLE, time_us::DOUBLE FROM read_parquet($files) WHERE time_us <= $t ORDER BY time_us DESC, seq DESC LIMIT 1'
      : 'SELECT seq::DOUBLE, time_us::DOUBLE FROM read_parquet($files) WHERE time_us >= $t ORDER BY time_us, seq LIMIT 1';
    const c = await ctx.runner.run(sql, { files: filePaths(ctx, files), t });
    if ((c[0]?.length ?? 0) === 0) return null;
    return { seq: c[0]![0] as number, timeUs: c[1]![0] as number };
  });
}

/** Venue trade-id holes and seq holes of the trades in [fromUs, toUs). */
export function tradeGaps(
  ctx: ReaderContext,
  q: SeriesRef & { fromUs?: number; toUs?: number; maxGaps?: number },
): Promise<TradeGaps> {
  const from = checkTime('fromUs', q.fromUs, 0);
  const to = checkTime('toUs', q.toUs, END_OF_TIME);
  const maxGaps = checkMaxGaps(q.maxGaps);
  return withRetry(async () => {
    const files = filesInTimeRange(seriesFiles(ctx, TRADES_DATASET, q.venue, q.symbol), from, to);
    const empty: TradeGaps = {
      rows: 0,
      firstSeq: null,
      lastSeq: null,
      firstTradeId: null,
      lastTradeId: null,
      missingTradeIds: 0,
      seqHoles: 0,
      holes: [],
    };
    if (files.length === 0) return empty;
    const base = `WITH src AS (${tradeSourceSql(hasOverlap(files), BY_TIME)}),
      g AS (SELECT seq, time_us, first_trade_id AS f, last_trade_id AS l,
        lag(last_trade_id) OVER w AS pl, lag(seq) OVER w AS ps, lag(time_us) OVER w AS pt
        FROM src WINDOW w AS (ORDER BY seq))`;
    const params = { files: filePaths(ctx, files), from, to };
    const s = await ctx.runner.run(
      `${base} SELECT count(*)::DOUBLE, min(seq)::DOUBLE, max(seq)::DOUBLE, min(f)::DOUBLE, max(l)::DOUBLE,
        coalesce(sum(CASE WHEN f > pl + 1 THEN f - pl - 1 ELSE 0 END), 0)::DOUBLE,
        coalesce(sum(CASE WHEN seq > ps + 1 THEN seq - ps - 1 ELSE 0 END), 0)::DOUBLE FROM g`,
      params,
    );
    const h = await ctx.runner.run(
      `${base} SELECT pl::DOUBLE, f::DOUBLE, pt::DOUBLE, time_us::DOUBLE FROM g WHERE f > pl + 1 ORDER BY seq LIMIT $limit`,
      { ...params, limit: maxGaps },
    );
    const num = (k: number) => (s[k]![0] as number | null) ?? null;
    return {
      rows: num(0) ?? 0,
      firstSeq: num(1),
      lastSeq: num(2),
      firstTradeId: num(3),
      lastTradeId: num(4),
      missingTradeIds: num(5) ?? 0,
      seqHoles: num(6) ?? 0,
      holes: (h[0] ?? []).map((_, i) => ({
        afterId: h[0]![i] as number,
        beforeId: h[1]![i] as number,
        afterTimeUs: h[2]![i] as number,
        beforeTimeUs: h[3]![i] as number,
      })),
    };
  });
}

/**
 * Bars of `period` built in SQL straight from stored trades: the reference the stored and derived
 * bars must equal (also what a repair job writes back as 1m bars).
 */
export function barsFromTrades(
  ctx: ReaderContext,
  q: SeriesRef & { period: string; fromUs?: number; toUs?: number },
): Promise<StoredBar[]> {
  const period = parsePeriod(q.period);
  const from = bucketStartUs(period, checkTime('fromUs', q.fromUs, 0));
  const toRaw = checkTime('toUs', q.toUs, END_OF_TIME);
  const to = toRaw >= END_OF_TIME ? toRaw : nextBucket(period, bucketStartUs(period, toRaw - 1));
  return withRetry(async () => {
    const files = filesInTimeRange(seriesFiles(ctx, TRADES_DATASET, q.venue, q.symbol), from, to);
    if (files.length === 0) return [];
    const sql = `WITH src AS (${tradeSourceSql(hasOverlap(files), BY_TIME)}), bars AS (${barsFromTradesSql(period)})
      SELECT ${BAR_OUTPUT_SQL} FROM bars ORDER BY open_time_us`;
    return ctx.runner.rows(sql, { files: filePaths(ctx, files), from, to }, `bars|${period}`, (c) =>
      toBars(period, c),
    );
  });
}
