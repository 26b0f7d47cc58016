/**
 * Lays one partition's trades out for DuckDB (pure): the staging columns, their values and the
 * SELECT writing the Parquet file. Decimals whose digits all fit a double exactly are staged as
 * scaled integers (DOUBLE), others as text; numeric trade ids as numbers. Schema written:
 * seq BIGINT, time_us BIGINT, trade_id VARCHAR, price/quantity/quote_quantity DECIMAL(38,18),
 * side UTINYINT, first_trade_id/last_trade_id BIGINT, trade_count UINTEGER, best_match BOOLEAN.
 *
 * Columns the SELECT can compute are not staged: a run of consecutive seqs or trade ids (the
 * usual case) is `first + rowid`, first/last trade ids equal to the trade id are that id, and a
 * column holding one value throughout is a literal. Appending to DuckDB costs ~0.5 µs a row for
 * every staged column (mostly the appender's close), so this halves the staging work of a flush.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { stageDecimal } from './decimal-stage.ts';
import type { StageColumns } from './staging.ts';
import type { TradeGroup } from './trade-buffer.ts';

/** A staging layout and the SELECT over it. */
export interface TradeStage {
  readonly columns: StageColumns;
  readonly values: ArrayLike<DuckDBValue>[];
  /** SELECT over the stage table named `stage_trades`. */
  readonly select: string;
}

/** The first value when `xs` is `first, first+1, …` (all safe integers), else null. */
export function runStart(xs: ArrayLike<number | null>): number | null {
  const first = xs[0];
  // NaN (none) never equals anything, so it ends a run wherever it is.
  if (first === undefined || first === null || Number.isNaN(first)) return null;
  for (let i = 1; i < xs.length; i++) if (xs[i] !== first + i) return null;
  return Number.isSafeInteger(first + xs.length) ? first : null;
}

/** The one value of `xs` when all are equal (and not null or NaN), else undefined. */
export function constantOf<T>(xs: ArrayLike<T | null>): T | undefined {
  const first = xs[0];
  if (first === undefined || first === null || (typeof first === 'number' && Number.isNaN(first)))
    return undefined;
  for (let i = 1; i < xs.length; i++) if (xs[i] !== first) return undefined;
  return first;
}

function sameAs(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Trade ids as text: the kept text, else the number's (kept only where the id was numeric). */
function idTexts(g: TradeGroup): string[] {
  const out: string[] = new Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = g.tradeId?.[i] ?? String(g.tradeIdNum[i]);
  return out;
}

/** The stage for `g`; duplicates of a seq are dropped (and rows sorted) only when `g` is unordered. */
export function tradeStage(g: TradeGroup): TradeStage {
  const columns: [string, StageColumns[number][1]][] = [];
  const values: ArrayLike<DuckDBValue>[] = [];
  const stage = (name: string, type: StageColumns[number][1], vals: ArrayLike<DuckDBValue>): string => {
    columns.push([name, type]);
    values.push(vals);
    return name;
  };
  // The group's rows: views of the first `length` values of its (reused, larger) arrays.
  const n = g.length;
  const seqs = g.seq.subarray(0, n);
  const ids = g.tradeIdNum.subarray(0, n);
  // Derived from rowid only when rows keep their staged order (no DISTINCT/ORDER BY pass).
  const seqRun = g.unordered ? null : runStart(seqs);
  const seq = seqRun !== null ? `(${seqRun} + rowid)` : stage('seq', 'DOUBLE', seqs);
  const time = stage('time_us', 'DOUBLE', g.timeUs.subarray(0, n));
  let tradeId: string;
  let idNum = 'trade_id::BIGINT';
  if (!g.numericIds) tradeId = stage('trade_id', 'VARCHAR', idTexts(g));
  else {
    const idRun = g.unordered ? null : runStart(ids);
    if (idRun !== null) idNum = `(${idRun} + rowid)`;
    else stage('trade_id', 'DOUBLE', ids);
    tradeId = `${idNum}::VARCHAR`;
  }
  const idOf = (name: string, xs: Float64Array) =>
    g.numericIds && sameAs(xs, ids) ? idNum : stage(name, 'DOUBLE', xs);
  const first = idOf('first_trade_id', g.firstId.subarray(0, n));
  const last = idOf('last_trade_id', g.lastId.subarray(0, n));
  const counts = g.count.subarray(0, n);
  const countOne = constantOf(counts);
  const count = countOne !== undefined ? String(countOne) : stage('trade_count', 'DOUBLE', counts);
  const sides = g.side.subarray(0, n);
  const sideOne = constantOf(sides);
  const side = sideOne !== undefined ? String(sideOne) : stage('side', 'INTEGER', sides);
  // Staged as 0/1 (DuckDB's boolean vector takes any truthy value).
  const bests = g.bestMatch.subarray(0, n);
  const bestOne = constantOf(bests);
  const best = bestOne !== undefined ? String(bestOne === 1) : stage('best_match', 'BOOLEAN', bests);
  const decimal = (name: string, col: TradeGroup['price']) => {
    const d = stageDecimal(name, col);
    if (d.type !== null) stage(name, d.type, d.values);
    return d.sql;
  };
  const cols = `${seq}::BIGINT AS seq, ${time}::BIGINT AS time_us, ${tradeId} AS trade_id,
    ${decimal('price', g.price)}, ${decimal('quantity', g.quantity)}, ${decimal('quote_quantity', g.quote)},
    ${side}::UTINYINT AS side, ${first}::BIGINT AS first_trade_id, ${last}::BIGINT AS last_trade_id,
    ${count}::UINTEGER AS trade_count, ${best}::BOOLEAN AS best_match`;
  // Rows arrive in seq order; only a group that saw a seq go backwards pays for sorting.
  const select = g.unordered
    ? `SELECT DISTINCT ON (seq) ${cols} FROM stage_trades ORDER BY seq`
    : `SELECT ${cols} FROM stage_trades`;
  return { columns, values, select };
}
