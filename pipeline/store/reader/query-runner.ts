/**
 * Runs reader SQL on one DuckDB connection: statements are prepared once per SQL text and reused
 * (only parameters change: the file list, the range, the limit), and queries run one at a time.
 */
import {
  BIGINT,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBType,
  type DuckDBValue,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';

/** A named parameter: a file list, an integer (bound as BIGINT) or a plain value. */
export type QueryParam = readonly string[] | number | string;

/** Result columns, by position. */
export type Columns = DuckDBValue[][];

/** Prepared-statement cache and query queue over one connection. */
export interface QueryRunner {
  run(sql: string, params: Readonly<Record<string, QueryParam>>): Promise<Columns>;
}

const FILE_LIST = LIST(VARCHAR);

/** Creates a runner over `conn`. */
export function createQueryRunner(conn: DuckDBConnection): QueryRunner {
  const prepared = new Map<string, DuckDBPreparedStatement>();
  let chain: Promise<unknown> = Promise.resolve();

  async function exec(sql: string, params: Readonly<Record<string, QueryParam>>): Promise<Columns> {
    let stmt = prepared.get(sql);
    if (stmt === undefined) {
      stmt = await conn.prepare(sql);
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
        values[name] = listValue([...v]);
        types[name] = FILE_LIST;
      }
    }
    stmt.clearBindings();
    stmt.bind(values, types);
    const reader = await stmt.runAndReadAll();
    return reader.getColumns();
  }

  return {
    run(sql, params) {
      const next = chain.then(
        () => exec(sql, params),
        () => exec(sql, params),
      );
      chain = next.catch(() => undefined);
      return next;
    },
  };
}
