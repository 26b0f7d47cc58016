/**
 * The file of one `series://` reference: a Parquet file (zstd), written and read through an
 * in-memory DuckDB that is opened on first use.
 *
 * Parquet because it is what the store already holds (one reader for both: `duckdb`, `pyarrow`,
 * `pandas.read_parquet`, `polars` in the research sandbox), it keeps column types (numbers stay
 * numbers, decimal strings stay exact), it is small (a 20k-row bars table is ~220 kB, 1.4 MB as
 * CSV), a page is read without parsing the rows before it, and the footer carries the metadata,
 * so one file is the whole reference and one rename publishes it.
 *
 * Columns whose cells are all numbers (or '', "no value") are DOUBLE with NULL for '' and
 * non-finite numbers; the rest are VARCHAR. NULL reads back as ''. Footer key-value metadata:
 * `title`, `owner`, `created_at`, `expires_at` (ISO 8601 UTC), `rows`.
 */
import { type DuckDBConnection, DuckDBInstance, listValue } from '@duckdb/node-api';
import { sqlString } from '../../pipeline/store/duckdb/session.ts';
import type { Table } from './table.ts';

/** What the footer of a series file says. */
export interface SeriesFileMeta {
  readonly title: string;
  readonly ownerId: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly rows: number;
}

/** Rows `offset..offset+limit` of a series file, with its column names. */
export interface SeriesFileRows {
  readonly columns: string[];
  readonly rows: (string | number)[][];
}

/** Reads and writes series files; every call runs after the previous one finished. */
export interface SeriesFiles {
  /** Writes `table` with `meta` in the footer to exactly `path` (the caller renames it into place). */
  write(path: string, meta: SeriesFileMeta, table: Table): Promise<void>;
  /** Footers of `paths` that exist and are series files, by path. */
  readMeta(paths: readonly string[]): Promise<Map<string, SeriesFileMeta>>;
  /** Rows from `offset` (all of them when `limit` is undefined), in the order they were written. */
  readRows(path: string, offset: number, limit?: number): Promise<SeriesFileRows>;
  /** Closes DuckDB (when it was opened). */
  close(): void;
}

const STAGING_TABLE = 'series_put';

/** Creates the series file reader/writer (DuckDB opens on the first call). */
export function createSeriesFiles(): SeriesFiles {
  let opened: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  function connection(): Promise<DuckDBConnection> {
    opened ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
      return { instance, connection: await instance.connect() };
    })();
    return opened.then((o) => o.connection);
  }

  /** Runs `job` alone on the connection: the staging table and the appender are not shared. */
  function serial<T>(job: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = queue.then(async () => job(await connection()));
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    write(path, meta, table) {
      return serial(async (conn) => {
        const numeric = table.columns.map((_, k) =>
          table.rows.every((r) => typeof r[k] === 'number' || r[k] === ''),
        );
        const names = uniqueNames(table.columns);
        const defs = names.map((n, k) => `${quoteIdent(n)} ${numeric[k] ? 'DOUBLE' : 'VARCHAR'}`);
        await conn.run(`CREATE OR REPLACE TABLE ${STAGING_TABLE} (${defs.join(', ')})`);
        try {
          const appender = await conn.createAppender(STAGING_TABLE);
          for (const row of table.rows) {
            for (let k = 0; k < names.length; k++) {
              const cell = row[k];
              if (numeric[k]) {
                if (typeof cell === 'number' && Number.isFinite(cell)) appender.appendDouble(cell);
                else appender.appendNull();
              } else {
                appender.appendVarchar(cell === undefined ? '' : String(cell));
              }
            }
            appender.endRow();
          }
          appender.flushSync();
          appender.closeSync();
          const kv = {
            title: meta.title,
            owner: meta.ownerId,
            created_at: new Date(meta.createdAt).toISOString(),
            expires_at: new Date(meta.expiresAt).toISOString(),
            rows: String(meta.rows),
          };
          const kvSql = Object.entries(kv)
            .map(([k, v]) => `${k}: ${sqlString(v)}`)
            .join(', ');
          await conn.run(
            `COPY ${STAGING_TABLE} TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {${kvSql}})`,
          );
        } finally {
          await conn.run(`DROP TABLE IF EXISTS ${STAGING_TABLE}`);
        }
      });
    },

    readMeta(paths) {
      if (paths.length === 0) return Promise.resolve(new Map());
      return serial(async (conn) => {
        const reader = await conn.runAndReadAll(
          'SELECT file_name, decode(key), decode(value) FROM parquet_kv_metadata($1)',
          [listValue([...paths])],
        );
        const kvs = new Map<string, Map<string, string>>();
        for (const [file, key, value] of reader.getRows()) {
          const path = String(file);
          const kv = kvs.get(path) ?? new Map<string, string>();
          kv.set(String(key), String(value));
          kvs.set(path, kv);
        }
        const out = new Map<string, SeriesFileMeta>();
        for (const [path, kv] of kvs) {
          const meta = metaOf(kv);
          if (meta !== null) out.set(path, meta);
        }
        return out;
      });
    },

    readRows(path, offset, limit) {
      return serial(async (conn) => {
        const reader =
          limit === undefined
            ? await conn.runAndReadAll('SELECT * FROM read_parquet($1) OFFSET $2', [path, offset])
            : await conn.runAndReadAll('SELECT * FROM read_parquet($1) LIMIT $2 OFFSET $3', [
                path,
                limit,
                offset,
              ]);
        // Column-wise is several times faster than getRows() here; rows are built in JS.
        const cols = reader.getColumns();
        const rows: (string | number)[][] = new Array(reader.currentRowCount);
        for (let i = 0; i < rows.length; i++) rows[i] = cols.map((col) => cellOf(col[i]));
        return { columns: reader.columnNames(), rows };
      });
    },

    close() {
      const o = opened;
      opened = undefined;
      if (o === undefined) return;
      // After the queued calls: closing under a running query would fail it.
      void queue
        .then(() => o)
        .then(({ instance, connection }) => {
          connection.closeSync();
          instance.closeSync();
        })
        .catch(() => undefined);
    },
  };
}

function cellOf(value: unknown): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  return value === null ? '' : String(value);
}

function metaOf(kv: Map<string, string>): SeriesFileMeta | null {
  const createdAt = Date.parse(kv.get('created_at') ?? '');
  const expiresAt = Date.parse(kv.get('expires_at') ?? '');
  const rows = Number(kv.get('rows'));
  const title = kv.get('title');
  const ownerId = kv.get('owner');
  if (title === undefined || ownerId === undefined) return null;
  if (!Number.isFinite(createdAt) || !Number.isFinite(expiresAt) || !Number.isSafeInteger(rows)) return null;
  return { title, ownerId, createdAt, expiresAt, rows };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Column names made unique (DuckDB refuses duplicates): a repeat gets `_2`, `_3`… */
function uniqueNames(columns: readonly string[]): string[] {
  const seen = new Set<string>();
  return columns.map((c) => {
    let name = c === '' ? 'column' : c;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${c}_${n}`;
    seen.add(name.toLowerCase());
    return name;
  });
}
