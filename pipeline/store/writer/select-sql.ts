/**
 * The symbols dataset schema, as the SELECT converting its staging table (trades: `trade-stage.ts`,
 * bars: `bar-stage.ts`). Times everywhere are BIGINT epoch µs (the proto's unit; bucketing is
 * integer arithmetic); an Iceberg export maps them to `timestamp` (µs) with a cast.
 */

/** Column list of the symbols dataset, as the SELECT from its stage. */
export function symbolsSelectSql(stage: string): string {
  const list = (c: string) =>
    `CASE WHEN ${c} = '' THEN []::VARCHAR[] ELSE string_split(${c}, chr(31)) END AS ${c}`;
  return `SELECT exchange_id, market_id, venue_symbol, market_type::SMALLINT AS market_type, description,
    ${list('columns')}, base_asset, quote_asset, earliest_time_us::BIGINT AS earliest_time_us, tick_size,
    lot_size, ${list('supported_periods')}, status, contract_size, updated_us::BIGINT AS updated_us
    FROM ${stage} ORDER BY venue_symbol`;
}
