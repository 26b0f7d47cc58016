/**
 * The exact Parquet schemas, as the SELECT that converts a staging table into them.
 *
 * trades: seq BIGINT, time_us BIGINT, trade_id VARCHAR, price/quantity/quote_quantity
 *   DECIMAL(38,18), side UTINYINT (1 buy, 2 sell aggressor), first_trade_id/last_trade_id BIGINT,
 *   trade_count UINTEGER, best_match BOOLEAN; sorted by seq.
 * bars_<period>: open_time_us/close_time_us BIGINT, open/high/low/close/volume/taker_buy_volume/
 *   maker_volume/quote_volume/taker_buy_quote_volume DECIMAL(38,18), trade_count BIGINT,
 *   revision INTEGER, final BOOLEAN, first_seq/last_seq BIGINT, version BIGINT; sorted by open time.
 * Times are BIGINT epoch µs (the proto's unit; bucket arithmetic is integer arithmetic);
 * an Iceberg export maps them to `timestamp` (µs) with a cast.
 */
import { type DecimalShape, decimalCastSql } from '../decimal.ts';
import { BAR_DECIMALS } from './bar-buffer.ts';

/** SELECT writing a trades Parquet file from stage `stage`. */
export function tradesSelectSql(
  stage: string,
  shapes: { price: DecimalShape; quantity: DecimalShape; quote: DecimalShape },
  dedup: boolean,
): string {
  const cols = `seq::BIGINT AS seq, time_us::BIGINT AS time_us, trade_id,
    ${decimalCastSql('price', shapes.price)} AS price,
    ${decimalCastSql('quantity', shapes.quantity)} AS quantity,
    ${decimalCastSql('quote_quantity', shapes.quote)} AS quote_quantity,
    side::UTINYINT AS side, first_trade_id::BIGINT AS first_trade_id, last_trade_id::BIGINT AS last_trade_id,
    trade_count::UINTEGER AS trade_count, best_match`;
  return dedup
    ? `SELECT DISTINCT ON (seq) ${cols} FROM ${stage} ORDER BY seq`
    : `SELECT ${cols} FROM ${stage} ORDER BY seq`;
}

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
