/**
 * The SELECT that merges a partition's files into one, per dataset: rows sorted by their key,
 * duplicates resolved exactly as readers resolve them (trades: one row per seq; bars: highest
 * revision, then latest write, per open time; symbols: latest upsert per symbol).
 */
import { sqlString } from '../duckdb/session.ts';
import { SYMBOLS_DATASET, TRADES_DATASET } from '../layout.ts';

/** SELECT merging `paths` (absolute) of `dataset`. */
export function mergeSelectSql(dataset: string, paths: readonly string[]): string {
  const src = `read_parquet([${paths.map(sqlString).join(', ')}])`;
  if (dataset === TRADES_DATASET) return `SELECT DISTINCT ON (seq) * FROM ${src} ORDER BY seq`;
  if (dataset === SYMBOLS_DATASET) {
    return `SELECT * FROM ${src} QUALIFY row_number() OVER (PARTITION BY exchange_id, venue_symbol ORDER BY updated_us DESC) = 1 ORDER BY venue_symbol`;
  }
  return `SELECT * FROM ${src} QUALIFY row_number() OVER (PARTITION BY open_time_us ORDER BY revision DESC, version DESC) = 1 ORDER BY open_time_us`;
}

/** SELECT of the catalog statistics of one merged file. */
export function statsSql(dataset: string, path: string): string {
  const src = `read_parquet(${sqlString(path)})`;
  if (dataset === TRADES_DATASET) {
    return `SELECT count(*)::DOUBLE, min(time_us)::DOUBLE, max(time_us)::DOUBLE, min(seq)::DOUBLE, max(seq)::DOUBLE FROM ${src}`;
  }
  if (dataset === SYMBOLS_DATASET) {
    return `SELECT count(*)::DOUBLE, min(updated_us)::DOUBLE, max(updated_us)::DOUBLE, NULL, NULL FROM ${src}`;
  }
  return `SELECT count(*)::DOUBLE, min(open_time_us)::DOUBLE, max(open_time_us)::DOUBLE, NULL, NULL FROM ${src}`;
}
