/**
 * Lays one partition's trades out for DuckDB (pure): the staging columns, their values and the
 * SELECT writing the Parquet file. Decimals whose digits all fit a double exactly are staged as
 * scaled integers (DOUBLE), others as text; numeric trade ids as numbers. Schema written:
 * seq BIGINT, time_us BIGINT, trade_id VARCHAR, price/quantity/quote_quantity DECIMAL(38,18),
 * side UTINYINT, first_trade_id/last_trade_id BIGINT, trade_count UINTEGER, best_match BOOLEAN.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { stageDecimal } from './decimal-stage.ts';
import type { StageColumns } from './staging.ts';
import type { TradeGroup } from './trade-buffer.ts';

/** A staging layout and the SELECT over it. */
export interface TradeStage {
  readonly columns: StageColumns;
  readonly values: DuckDBValue[][];
  /** SELECT over the stage table named `stage_trades`. */
  readonly select: string;
}

/** The stage for `g`; duplicates of a seq are dropped (and rows sorted) only when `g` is unordered. */
export function tradeStage(g: TradeGroup): TradeStage {
  const price = stageDecimal('price', g.price);
  const quantity = stageDecimal('quantity', g.quantity);
  const quote = stageDecimal('quote_quantity', g.quote);
  const columns: StageColumns = [
    ['seq', 'DOUBLE'],
    ['time_us', 'DOUBLE'],
    ['trade_id', g.numericIds ? 'DOUBLE' : 'VARCHAR'],
    ['price', price.type],
    ['quantity', quantity.type],
    ['quote_quantity', quote.type],
    ['side', 'INTEGER'],
    ['first_trade_id', 'DOUBLE'],
    ['last_trade_id', 'DOUBLE'],
    ['trade_count', 'DOUBLE'],
    ['best_match', 'BOOLEAN'],
  ];
  const values: DuckDBValue[][] = [
    g.seq,
    g.timeUs,
    g.numericIds ? g.tradeIdNum : g.tradeId,
    price.values,
    quantity.values,
    quote.values,
    g.side,
    g.firstId,
    g.lastId,
    g.count,
    g.bestMatch,
  ];
  const cols = `seq::BIGINT AS seq, time_us::BIGINT AS time_us,
    ${g.numericIds ? 'trade_id::BIGINT::VARCHAR' : 'trade_id'} AS trade_id, ${price.sql}, ${quantity.sql}, ${quote.sql},
    side::UTINYINT AS side, first_trade_id::BIGINT AS first_trade_id, last_trade_id::BIGINT AS last_trade_id,
    trade_count::UINTEGER AS trade_count, best_match`;
  // Rows arrive in seq order; only a group that saw a seq go backwards pays for sorting.
  const select = g.unordered
    ? `SELECT DISTINCT ON (seq) ${cols} FROM stage_trades ORDER BY seq`
    : `SELECT ${cols} FROM stage_trades`;
  return { columns, values, select };
}
