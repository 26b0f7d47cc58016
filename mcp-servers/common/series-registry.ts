/**
 * Results too large for a tool answer are kept here for a while and referred to as
 * `series://<id>`; `get_series` pages through them with a cursor and the research sandbox can
 * load them. Entries belong to the user who made them and expire after `ttlMs`.
 */
import { randomBytes } from 'node:crypto';
import { invalidArgument } from './errors.ts';

/** A table: column names and rows of cells (numbers or strings), oldest first. */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

/** One stored result. */
export interface SeriesEntry {
  readonly uri: string;
  readonly ownerId: string;
  /** What the rows are, e.g. "BINANCE:BTCUSDT 1m bars 2024-08-08T23:54Z..2024-08-09T00:05Z". */
  readonly title: string;
  readonly table: Table;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** Options of {@link createSeriesRegistry}. */
export interface SeriesRegistryOptions {
  /** How long an entry lives after it is made (ms). Default 1 h. */
  readonly ttlMs?: number;
  /** Most entries kept; the oldest go first. Default 500. */
  readonly maxEntries?: number;
  /** Clock (ms); default `Date.now`. */
  readonly now?: () => number;
}

/** A page of a stored series. */
export interface SeriesPage {
  readonly entry: SeriesEntry;
  readonly offset: number;
  readonly rows: readonly (readonly (string | number)[])[];
  /** Cursor of the next page, or null at the end. */
  readonly nextCursor: string | null;
}

/** Handle on the registry. */
export interface SeriesRegistry {
  put(ownerId: string, title: string, table: Table): SeriesEntry;
  /** The entry at `uri` owned by `ownerId`; throws a tool error naming `field` when missing or expired. */
  get(ownerId: string, uri: string, field?: string): SeriesEntry;
  page(ownerId: string, uri: string, cursor: string | undefined, limit: number): SeriesPage;
  /** Entries of `ownerId` still alive, newest first. */
  list(ownerId: string): SeriesEntry[];
  readonly size: number;
}

export const SERIES_URI_PREFIX = 'series://';

/** Creates an in-memory series registry. */
export function createSeriesRegistry(options: SeriesRegistryOptions = {}): SeriesRegistry {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const maxEntries = options.maxEntries ?? 500;
  const now = options.now ?? Date.now;
  // Map keeps insertion order: the first key is the oldest entry.
  const entries = new Map<string, SeriesEntry>();

  function sweep(): void {
    const t = now();
    for (const [uri, e] of entries) if (e.expiresAt <= t) entries.delete(uri);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  }

  function get(ownerId: string, uri: string, field = 'uri'): SeriesEntry {
    sweep();
    if (!uri.startsWith(SERIES_URI_PREFIX)) {
      invalidArgument(
        field,
        `"${uri}" is not a series reference; expected series://<id> from an earlier result`,
      );
    }
    const entry = entries.get(uri);
    // Another user's entry answers exactly like a missing one: ids are not to be probed.
    if (entry === undefined || entry.ownerId !== ownerId) {
      invalidArgument(
        field,
        `${uri} is unknown or expired (references live ${Math.round(ttlMs / 60_000)} min); run the query again`,
      );
    }
    return entry;
  }

  return {
    put(ownerId, title, table) {
      const t = now();
      const uri = `${SERIES_URI_PREFIX}${randomBytes(12).toString('base64url')}`;
      const entry: SeriesEntry = { uri, ownerId, title, table, createdAt: t, expiresAt: t + ttlMs };
      entries.set(uri, entry);
      sweep();
      return entry;
    },
    get,
    page(ownerId, uri, cursor, limit) {
      const entry = get(ownerId, uri);
      let offset = 0;
      if (cursor !== undefined && cursor !== '') {
        offset = Number(cursor);
        if (!Number.isInteger(offset) || offset < 0 || offset > entry.table.rows.length) {
          invalidArgument(
            'cursor',
            `"${cursor}" is not a cursor of ${uri}; use nextCursor of the previous page`,
          );
        }
      }
      const end = Math.min(entry.table.rows.length, offset + limit);
      return {
        entry,
        offset,
        rows: entry.table.rows.slice(offset, end),
        nextCursor: end < entry.table.rows.length ? String(end) : null,
      };
    },
    list(ownerId) {
      sweep();
      return [...entries.values()].filter((e) => e.ownerId === ownerId).reverse();
    },
    get size() {
      sweep();
      return entries.size;
    },
  };
}
