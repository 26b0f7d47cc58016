/**
 * Lays one partition's bars out for DuckDB (pure). Schema written (bars_<period>):
 * open_time_us/close_time_us BIGINT, open/high/low/close/volume/taker_buy_volume/maker_volume/
 * quote_volume/taker_buy_quote_volume DECIMAL(38,18), trade_count BIGINT, revision INTEGER,
 * final BOOLEAN, first_seq/last_seq BIGINT, version BIGINT; sorted by open time.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { BAR_DECIMALS, type BarGroup } from './bar-buffer.ts';
import { stageDecimal } from './decimal-stage.ts';
import type { StageColumns } from './staging.ts';

/** A staging layout and the SELECT (over `stage_bars`) writing the Parquet file. */
export interface BarStage {
  readonly columns: StageColumns;
  readonly values: ArrayLike<DuckDBValue>[];
  readonly select: string;
}

/** The stage for `g`. */
export function barStage(g: BarGroup): BarStage {
  const decimals = BAR_DECIMALS.map((name, k) => stageDecimal(name, g.decimals[k]!));
  // A decimal with no value in the group is a typed NULL in the SELECT, not a staged column.
  const staged = decimals.flatMap((d, k) => (d.type === null ? [] : [{ ...d, name: BAR_DECIMALS[k]! }]));
  const columns: StageColumns = [
    ['open_time_us', 'DOUBLE'],
    ['close_time_us', 'DOUBLE'],
    ...staged.map((d) => [d.name, d.type] as const),
    ['trade_count', 'DOUBLE'],
    ['revision', 'INTEGER'],
    ['final', 'BOOLEAN'],
    ['first_seq', 'DOUBLE'],
    ['last_seq', 'DOUBLE'],
    ['version', 'DOUBLE'],
  ];
  const [open, close, ...rest] = g.cols;
  const values: ArrayLike<DuckDBValue>[] = [open!, close!, ...staged.map((d) => d.values), ...rest];
  const select = `SELECT open_time_us::BIGINT AS open_time_us, close_time_us::BIGINT AS close_time_us,
    ${decimals.map((d) => d.sql).join(', ')},
    trade_count::BIGINT AS trade_count, revision, final, first_seq::BIGINT AS first_seq,
    last_seq::BIGINT AS last_seq, version::BIGINT AS version
    FROM stage_bars ORDER BY open_time_us`;
  return { columns, values, select };
}
