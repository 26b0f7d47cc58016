/**
 * The exact Parquet schemas, as the SELECT that converts a staging table into them.
 *
 * trades: see `trade-stage.ts` (seq BIGINT, time_us BIGINT, DECIMAL(38,18) price/sizes…).
 * bars_<period>: open_time_us/close_time_us BIGINT, open/high/low/close/volume/taker_buy_volume/
 *   maker_volume/quote_volume/taker_buy_quote_volume DECIMAL(38,18), trade_count BIGINT,
 *   revision INTEGER, final BOOLEAN, first_seq/last_seq BIGINT, version BIGINT; sorted by open time.
 * Times are BIGINT epoch µs (the proto's unit; bucket arithmetic is integer arithmetic);
 * an Iceberg export maps them to `timestamp` (µs) with a cast.
 */
import { type DecimalShape, decimalCastSql } from '../decimal.ts';
import { BAR_DECIMALS } from './bar-buffer.ts';

/** SELECT writing a bars Parquet file from stage `stage`. */
export function barsSelectSql(stage: string, shapes: readonly DecimalShape[]): string {
  const decimals = BAR_DECIMALS.map((c, k) => `${decimalCastSql(c, shapes[k]!)} AS ${c}`).join(', ');
  return `SELECT open_time_us::BIGINT AS open_time_us, close_time_us::BIGINT AS close_time_us, ${decimals},
    trade_count::BIGINT AS trade_count, revision, final, first_seq::BIGINT AS first_seq,
    last_seq::BIGINT AS last_seq, version::BIGINT AS version
    FROM ${stage} ORDER BY open_time_us`;
}

/** Column list of the symbols dataset, as the SELECT from its stage. */
export function symbolsSelectSql(stage: string): string {
  const list = (c: string) =>
    `CASE WHEN ${c} = '' THEN []::VARCHAR[] ELSE string_split(${c}, chr(31)) END AS ${c}`;
  return `SELECT exchange_id, market_id, venue_symbol, market_type::SMALLINT AS market_type, description,
    ${list('columns')}, base_asset, quote_asset, earliest_time_us::BIGINT AS earliest_time_us, tick_size,
    lot_size, ${list('supported_periods')}, status, contract_size, updated_us::BIGINT AS updated_us
    FROM ${stage} ORDER BY venue_symbol`;
}
