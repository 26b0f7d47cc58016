/**
 * Results too large for a tool answer are stored for a while and referred to as `series://<id>`;
 * `get_series` pages through them with a cursor, `compute_indicator` takes bars from them and the
 * research sandbox can load them. They live on disk, one Parquet file per reference (see
 * `series-file.ts`), so every server process over the same data dir reads what any other made:
 *
 *     <dataDir>/series/<userId>/<id>.parquet
 *
 * The id is `<expiry, epoch ms in base 36>_<16 random chars>`: the name alone tells an expired
 * reference from an unknown one (also after its file was removed) and lets a sweep find expired
 * files without opening them. The footer holds the same expiry, the title and the owner. Files
 * are written to a hidden temp name and renamed into place, so no reader sees half a file.
 * Expired files go when someone asks for them, and in a sweep of every user's folder that a `put`
 * runs at most every `sweepEveryMs`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { QuantForgeError } from '../../core/errors.ts';
import { SAFE_ID } from './context.ts';
import { invalidArgument, ToolInputError } from './errors.ts';
import { createSeriesFiles, type SeriesFileMeta } from './series-file.ts';
import type { Table } from './table.ts';

export type { Table } from './table.ts';

/** What a reference is, without its rows. */
export interface SeriesInfo {
  readonly uri: string;
  readonly ownerId: string;
  /** What the rows are, e.g. "BINANCE:BTCUSDT 1m bars". */
  readonly title: string;
  /** Number of rows. */
  readonly rows: number;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** One stored result with all its rows. */
export interface SeriesEntry extends SeriesInfo {
  readonly table: Table;
}

/** A page of a stored series. */
export interface SeriesPage {
  readonly info: SeriesInfo;
  readonly columns: readonly string[];
  /** Index of the first row of the page. */
  readonly offset: number;
  readonly rows: readonly (readonly (string | number)[])[];
  /** Cursor of the next page, or null at the end. */
  readonly nextCursor: string | null;
}

/** Options of {@link createSeriesRegistry}. */
export interface SeriesRegistryOptions {
  /** Data directory; references live under `<dataDir>/series/<user>/`. */
  readonly dataDir: string;
  /** How long a reference lives after it is made (ms). Default 1 h. */
  readonly ttlMs?: number;
  /** Most live references per user; the oldest go first. Default 500. */
  readonly maxPerUser?: number;
  /** Least time between two sweeps of every user's folder (ms). Default 10 min. */
  readonly sweepEveryMs?: number;
  /** Clock (epoch ms); default `Date.now`. */
  readonly now?: () => number;
}

/** Why a reference could not be read. */
export type SeriesMissReason = 'unknown' | 'expired' | 'other-user';

/** A `series://` reference that cannot be read by this user; `reason` says why. */
export class SeriesReferenceError extends ToolInputError {
  override readonly name: string = 'SeriesReferenceError';
  readonly reason: SeriesMissReason;

  constructor(field: string, reason: SeriesMissReason, message: string) {
    super(field, message);
    this.reason = reason;
  }
}

/** Handle on the references of one data directory. */
export interface SeriesRegistry {
  /** Stores `table` for `ownerId`; answers its reference. */
  put(ownerId: string, title: string, table: Table): Promise<SeriesInfo>;
  /**
   * The reference `uri` with all its rows. Throws a {@link SeriesReferenceError} naming `field`
   * when it is unknown, expired or another user's.
   */
  get(ownerId: string, uri: string, field?: string): Promise<SeriesEntry>;
  /** `limit` rows from `cursor` (a nextCursor of an earlier page; undefined or '' for the first). */
  page(ownerId: string, uri: string, cursor: string | undefined, limit: number): Promise<SeriesPage>;
  /** References of `ownerId` still alive, newest first. */
  list(ownerId: string): Promise<SeriesInfo[]>;
  /** Removes expired references (and leftovers of interrupted writes) of every user; answers how many. */
  sweep(): Promise<number>;
  /** The file that holds (or would hold) `uri` of `ownerId`; the research sandbox reads it. */
  pathOf(ownerId: string, uri: string): string;
  /** Releases DuckDB. */
  close(): void;
}

export const SERIES_URI_PREFIX = 'series://';

const ID = /^([0-9a-z]{1,11})_[A-Za-z0-9_-]{16}$/;
const FILE_SUFFIX = '.parquet';
const TEMP_SUFFIX = `${FILE_SUFFIX}.tmp`;

/** Where the references of `dataDir` live. */
export function seriesDir(dataDir: string): string {
  return join(dataDir, 'series');
}

/** Creates the registry over `<dataDir>/series`. */
export function createSeriesRegistry(options: SeriesRegistryOptions): SeriesRegistry {
  const root = seriesDir(options.dataDir);
  const ttlMs = options.ttlMs ?? 3_600_000;
  const maxPerUser = options.maxPerUser ?? 500;
  const sweepEveryMs = options.sweepEveryMs ?? 600_000;
  const now = options.now ?? Date.now;
  const files = createSeriesFiles();
  let lastSweep = Number.NEGATIVE_INFINITY;

  function userDir(ownerId: string): string {
    // The user comes from the transport (never a tool argument); still, it becomes a folder name.
    if (!SAFE_ID.test(ownerId)) throw new QuantForgeError(`"${ownerId}" is not a user id`);
    return join(root, ownerId);
  }

  function idOf(uri: string, field: string): string {
    if (!uri.startsWith(SERIES_URI_PREFIX)) {
      invalidArgument(
        field,
        `"${uri}" is not a series reference; expected series://<id> from an earlier result`,
      );
    }
    return uri.slice(SERIES_URI_PREFIX.length);
  }

  function minutes(ms: number): string {
    return `${Math.round(ms / 60_000)} min`;
  }

  function unknown(uri: string, field: string): never {
    throw new SeriesReferenceError(
      field,
      'unknown',
      `${uri} is unknown: none of that id is stored in this server's data directory (servers share references only when they share --data-dir; a user keeps the newest ${maxPerUser}); pass a series:// reference exactly as a result gave it, or run the query again`,
    );
  }

  function expired(uri: string, field: string, expiresAt: number): never {
    throw new SeriesReferenceError(
      field,
      'expired',
      `${uri} expired at ${new Date(expiresAt).toISOString()} (references are kept ${minutes(ttlMs)}); run the query that made it again for a new reference`,
    );
  }

  /** Throws the right error for `uri`, which the caller does not have (or no longer has). */
  async function miss(ownerId: string, uri: string, id: string, field: string): Promise<never> {
    const expiresAt = expiryOf(id);
    if (expiresAt === null) return unknown(uri, field);
    if (expiresAt <= now()) return expired(uri, field, expiresAt);
    for (const other of await listDir(root)) {
      if (other === ownerId || !SAFE_ID.test(other)) continue;
      if (await exists(join(root, other, `${id}${FILE_SUFFIX}`))) {
        throw new SeriesReferenceError(
          field,
          'other-user',
          `${uri} belongs to another user; references are private to the user who made them, so run the query yourself for a reference of your own`,
        );
      }
    }
    return unknown(uri, field);
  }

  /** The file and footer of the caller's live reference; throws the reason otherwise. */
  async function open(
    ownerId: string,
    uri: string,
    field: string,
  ): Promise<{ path: string; info: SeriesInfo }> {
    const id = idOf(uri, field);
    const dir = userDir(ownerId);
    const expiresAt = expiryOf(id);
    if (expiresAt === null) return unknown(uri, field);
    const path = join(dir, `${id}${FILE_SUFFIX}`);
    if (expiresAt <= now()) {
      await unlinkQuiet(path);
      return expired(uri, field, expiresAt);
    }
    let meta: SeriesFileMeta | undefined;
    try {
      meta = (await exists(path)) ? (await files.readMeta([path])).get(path) : undefined;
    } catch (error) {
      // Removed by another process between the two calls: answer as if it had not been there.
      if (await exists(path)) throw error;
    }
    if (meta === undefined) return miss(ownerId, uri, id, field);
    return { path, info: infoOf(uri, meta) };
  }

  /** Reads rows of a file that may have been swept by another process since it was found. */
  async function rowsOf(
    ownerId: string,
    uri: string,
    field: string,
    path: string,
    offset: number,
    limit?: number,
  ) {
    try {
      return await files.readRows(path, offset, limit);
    } catch (error) {
      if (await exists(path)) throw error;
      return miss(ownerId, uri, idOf(uri, field), field);
    }
  }

  /** Removes the expired files of one user folder and, with `cap`, the oldest beyond it. */
  async function sweepDir(dir: string, cap: number): Promise<number> {
    const t = now();
    let removed = 0;
    const live: { name: string; expiresAt: number }[] = [];
    for (const name of await listDir(dir)) {
      const expiresAt = expiryOfName(name);
      if (expiresAt === null) continue;
      if (expiresAt <= t) {
        if (await unlinkQuiet(join(dir, name))) removed++;
      } else if (!name.startsWith('.')) {
        live.push({ name, expiresAt });
      }
    }
    if (live.length > cap) {
      live.sort((a, b) => a.expiresAt - b.expiresAt);
      for (const { name } of live.slice(0, live.length - cap)) {
        if (await unlinkQuiet(join(dir, name))) removed++;
      }
    }
    return removed;
  }

  async function sweep(): Promise<number> {
    lastSweep = now();
    let removed = 0;
    for (const user of await listDir(root)) {
      if (SAFE_ID.test(user)) removed += await sweepDir(join(root, user), Number.POSITIVE_INFINITY);
    }
    return removed;
  }

  return {
    async put(ownerId, title, table) {
      const dir = userDir(ownerId);
      const createdAt = now();
      const expiresAt = createdAt + ttlMs;
      const id = `${expiresAt.toString(36)}_${randomBytes(12).toString('base64url')}`;
      const uri = `${SERIES_URI_PREFIX}${id}`;
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${id}${FILE_SUFFIX}`);
      const tmp = join(dir, `.${id}${TEMP_SUFFIX}`);
      const meta: SeriesFileMeta = { title, ownerId, createdAt, expiresAt, rows: table.rows.length };
      try {
        await files.write(tmp, meta, table);
        await rename(tmp, path);
      } catch (error) {
        await unlinkQuiet(tmp);
        throw error;
      }
      if (createdAt - lastSweep >= sweepEveryMs) await sweep();
      else await sweepDir(dir, maxPerUser);
      return infoOf(uri, meta);
    },

    async get(ownerId, uri, field = 'uri') {
      const { path, info } = await open(ownerId, uri, field);
      const { columns, rows } = await rowsOf(ownerId, uri, field, path, 0);
      return { ...info, table: { columns, rows } };
    },

    async page(ownerId, uri, cursor, limit) {
      const { path, info } = await open(ownerId, uri, 'uri');
      let offset = 0;
      if (cursor !== undefined && cursor !== '') {
        offset = Number(cursor);
        if (!/^\d+$/.test(cursor) || offset > info.rows) {
          invalidArgument(
            'cursor',
            `"${cursor}" is not a cursor of ${uri}; use nextCursor of the previous page`,
          );
        }
      }
      const { columns, rows } = await rowsOf(ownerId, uri, 'uri', path, offset, limit);
      const end = offset + rows.length;
      return { info, columns, offset, rows, nextCursor: end < info.rows ? String(end) : null };
    },

    async list(ownerId) {
      const dir = userDir(ownerId);
      const t = now();
      const live = (await listDir(dir)).filter((name) => {
        if (!name.endsWith(FILE_SUFFIX) || name.startsWith('.')) return false;
        const expiresAt = expiryOfName(name);
        return expiresAt !== null && expiresAt > t;
      });
      const metas = await files.readMeta(live.map((name) => join(dir, name)));
      return [...metas]
        .map(([path, meta]) => {
          return infoOf(`${SERIES_URI_PREFIX}${basename(path, FILE_SUFFIX)}`, meta);
        })
        .sort((a, b) => b.createdAt - a.createdAt);
    },

    sweep,

    pathOf(ownerId, uri) {
      return join(userDir(ownerId), `${idOf(uri, 'uri')}${FILE_SUFFIX}`);
    },

    close: () => files.close(),
  };
}

/** The expiry (epoch ms) written in a reference id, or null when `id` is not one. */
function expiryOf(id: string): number | null {
  const m = ID.exec(id);
  return m === null ? null : Number.parseInt(m[1]!, 36);
}

/**
 * The expiry of a file in a user folder: `<id>.parquet`, or `.<id>.parquet.tmp` (a write in
 * flight, or left by a process that died: it goes once its id expired); null for anything else.
 */
function expiryOfName(name: string): number | null {
  if (name.startsWith('.') && name.endsWith(TEMP_SUFFIX)) return expiryOf(name.slice(1, -TEMP_SUFFIX.length));
  return name.endsWith(FILE_SUFFIX) ? expiryOf(name.slice(0, -FILE_SUFFIX.length)) : null;
}

function infoOf(uri: string, meta: SeriesFileMeta): SeriesInfo {
  return {
    uri,
    ownerId: meta.ownerId,
    title: meta.title,
    rows: meta.rows,
    createdAt: meta.createdAt,
    expiresAt: meta.expiresAt,
  };
}

/** Names in `dir`, or none when it does not exist. */
async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Removes `path`; false when it was already gone. */
async function unlinkQuiet(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
