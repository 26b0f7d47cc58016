/**
 * Runs reader SQL on one DuckDB connection: statements are prepared once per SQL text and reused
 * (only parameters change: the file list, the range, the limit), and queries run one at a time.
 *
 * DuckDB caches the footer of every Parquet file it reads. Files are immutable, so the cache is
 * always right, but compaction keeps creating new files; after `recycleAfterFiles` distinct files
 * the runner reopens its in-memory database (between queries) so a long-running reader's memory
 * stays bounded.
 *
 * Answers are cached by SQL text and parameters (which include the exact file list): files are
 * immutable, so the same query over the same files always has the same answer, and a commit that
 * changes a series changes its file list. The cache holds at most `cacheRows` result rows.
 */
import type { DuckDBPreparedStatement, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { DuckSession } from '../duckdb/session.ts';
import { StoreError } from '../errors.ts';

/** A named parameter: a file list, an integer (bound as BIGINT) or a plain value. */
export type QueryParam = readonly string[] | number | string;

/** Result columns, by position. */
export type Columns = DuckDBValue[][];

/** Prepared-statement cache and query queue over one (recycled) DuckDB session. */
export interface QueryRunner {
  /** Result columns of `sql` (cached). */
  run(sql: string, params: Readonly<Record<string, QueryParam>>): Promise<Columns>;
  /**
   * Rows made by `convert` from the result (the converted rows are cached, so a hit costs no
   * conversion; `tag` names the conversion). Each call gets its own array. `cache: false` skips
   * the answer cache (for answers the caller caches itself).
   */
  rows<T>(
    sql: string,
    params: Readonly<Record<string, QueryParam>>,
    tag: string,
    convert: (columns: Columns) => T[],
    cache?: boolean,
  ): Promise<T[]>;
  close(): void;
}

/** Creates a runner over sessions from `open`. */
export function createQueryRunner(
  open: () => Promise<DuckSession>,
  options: { recycleAfterFiles: number; cacheRows: number } = { recycleAfterFiles: 50_000, cacheRows: 0 },
): QueryRunner {
  const cache = new Map<string, { rows: number; value: unknown }>();
  let cachedRows = 0;
  let session: DuckSession | null = null;
  let prepared = new Map<string, DuckDBPreparedStatement>();
  let filesSeen = new Set<string>();
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;

  function recycle(): void {
    for (const stmt of prepared.values()) stmt.destroySync();
    prepared = new Map();
    filesSeen = new Set();
    cache.clear();
    cachedRows = 0;
    session?.close();
    session = null;
  }

  function remember(key: string, rows: number, value: unknown): void {
    if (rows > options.cacheRows) return;
    cache.set(key, { rows, value });
    cachedRows += rows;
    // Evict oldest first (Map iterates in insertion order; hits are re-inserted).
    for (const [k, v] of cache) {
      if (cachedRows <= options.cacheRows) break;
      cache.delete(k);
      cachedRows -= v.rows;
    }
  }

  async function exec<T>(
    sql: string,
    params: Readonly<Record<string, QueryParam>>,
    tag: string,
    convert: (columns: Columns) => T,
    rowsOf: (value: T) => number,
    useCache = true,
  ): Promise<T> {
    if (closed) throw new StoreError('store reader is closed');
    const key = useCache && options.cacheRows > 0 ? `${tag}\u0000${sql}\u0000${JSON.stringify(params)}` : '';
    const hit = key === '' ? undefined : cache.get(key);
    if (hit !== undefined) {
      cache.delete(key);
      cache.set(key, hit);
      return hit.value as T;
    }
    const value = convert(await query(sql, params));
    if (key !== '') remember(key, rowsOf(value), value);
    return value;
  }

  function queued<T>(job: () => Promise<T>): Promise<T> {
    const next = chain.then(job, job);
    chain = next.catch(() => undefined);
    return next;
  }

  async function query(sql: string, params: Readonly<Record<string, QueryParam>>): Promise<Columns> {
    if (filesSeen.size > options.recycleAfterFiles) recycle();
    session ??= await open();
    const { BIGINT, VARCHAR, LIST, listValue } = session.api;
    let stmt = prepared.get(sql);
    if (stmt === undefined) {
      stmt = await session.connection.prepare(sql);
      prepared.set(sql, stmt);
    }
    const values: Record<string, DuckDBValue> = {};
    const types: Record<string, DuckDBType> = {};
    for (const [name, v] of Object.entries(params)) {
      if (typeof v === 'number') {
        values[name] = BigInt(Math.trunc(v));
        types[name] = BIGINT;
      } else if (typeof v === 'string') {
        values[name] = v;
        types[name] = VARCHAR;
      } else {
        for (const f of v) filesSeen.add(f);
        values[name] = listValue([...v]);
        types[name] = LIST(VARCHAR);
      }
    }
    stmt.clearBindings();
    stmt.bind(values, types);
    const reader = await stmt.runAndReadAll();
    return reader.getColumns();
  }

  return {
    run(sql, params) {
      return queued(() =>
        exec(
          sql,
          params,
          '',
          (c) => c,
          (c) => c[0]?.length ?? 0,
        ),
      );
    },
    async rows(sql, params, tag, convert, cache = true) {
      const rows = await queued(() => exec(sql, params, tag, convert, (r) => r.length, cache));
      return rows.slice();
    },
    close() {
      // After the queries already queued.
      closed = true;
      chain = chain.then(recycle, recycle);
    },
  };
}
