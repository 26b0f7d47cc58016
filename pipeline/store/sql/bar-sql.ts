/**
 * SQL that builds bars: from trades (the reference definition) and from finer stored bars
 * (how periods above 1m are answered). Both use the same UTC bucket alignment, so a 1h bar
 * derived from 1m bars equals the 1h bar built straight from the trades, to the last digit
 * (DECIMAL sums are exact).
 *
 * Each function returns a SELECT over a relation named `src` with BIGINT µs times and
 * DECIMAL(38,18) values, producing the stored bar columns (not yet formatted).
 */
import type { Period } from '../../../core/periods/index.ts';
import { bucketEndSql, bucketSql } from './period-sql.ts';

/** Bars of `period` from trades in `src` (columns of the trades dataset). */
export function barsFromTradesSql(period: Period): string {
  const b = bucketSql(period, 'time_us');
  return `SELECT b AS open_time_us, ${bucketEndSql(period, 'b')} AS close_time_us,
    arg_min(price, seq) AS open, max(price) AS high, min(price) AS low, arg_max(price, seq) AS close,
    sum(quantity) AS volume,
    coalesce(sum(quantity) FILTER (WHERE side = 1), 0)::DECIMAL(38,18) AS taker_buy_volume,
    coalesce(sum(quantity) FILTER (WHERE side = 2), 0)::DECIMAL(38,18) AS maker_volume,
    sum(trade_count)::BIGINT AS trade_count,
    sum(quote_quantity) AS quote_volume,
    coalesce(sum(quote_quantity) FILTER (WHERE side = 1), 0)::DECIMAL(38,18) AS taker_buy_quote_volume,
    0 AS revision, false AS final, min(seq) AS first_seq, max(seq) AS last_seq
    FROM (SELECT *, ${b} AS b FROM src) GROUP BY b`;
}

/** Bars of `period` from finer bars in `src` (columns of a bars dataset). */
export function barsFromBarsSql(period: Period): string {
  const b = bucketSql(period, 'open_time_us');
  return `SELECT b AS open_time_us, ${bucketEndSql(period, 'b')} AS close_time_us,
    arg_min(open, open_time_us) AS open, max(high) AS high, min(low) AS low,
    arg_max(close, open_time_us) AS close, sum(volume) AS volume,
    sum(taker_buy_volume) AS taker_buy_volume, sum(maker_volume) AS maker_volume,
    sum(trade_count)::BIGINT AS trade_count, sum(quote_volume) AS quote_volume,
    sum(taker_buy_quote_volume) AS taker_buy_quote_volume,
    max(revision) AS revision, bool_and(final) AS final,
    coalesce(min(first_seq) FILTER (WHERE first_seq > 0), 0) AS first_seq, max(last_seq) AS last_seq
    FROM (SELECT *, ${b} AS b FROM src) GROUP BY b`;
}

/**
 * Bar columns of relation `bars` for output: numbers as DOUBLE (exact below 2^53), decimals raw
 * (formatted to canonical strings in JS by `decimalValueToString`, much faster than a SQL cast).
 */
export const BAR_OUTPUT_SQL = `open_time_us::DOUBLE AS open_time_us, close_time_us::DOUBLE AS close_time_us,
  open, high, low, close, volume, taker_buy_volume, maker_volume, trade_count::DOUBLE AS trade_count,
  quote_volume, taker_buy_quote_volume,
  revision::INTEGER AS revision, final, first_seq::DOUBLE AS first_seq, last_seq::DOUBLE AS last_seq`;

/** Source relation over stored bars, keeping per open time the highest revision, then the latest write. */
export function barSourceSql(dedup: boolean): string {
  const base = 'SELECT * FROM read_parquet($files) WHERE open_time_us >= $from AND open_time_us < $to';
  return dedup
    ? `${base} QUALIFY row_number() OVER (PARTITION BY open_time_us ORDER BY revision DESC, version DESC) = 1`
    : base;
}

/** Source relation over stored trades in a time range (duplicates of a seq dropped when asked). */
export function tradeSourceSql(dedup: boolean, where: string): string {
  const base = `SELECT * FROM read_parquet($files) WHERE ${where}`;
  return dedup ? `${base} QUALIFY row_number() OVER (PARTITION BY seq) = 1` : base;
}
