/**
 * Where things live on disk. Pure path arithmetic, no I/O.
 *
 * `<dataDir>/<dataset>/venue=<V>/symbol=<S>/date=<YYYY-MM-DD>/<part-id>.parquet` for series data,
 * `<dataDir>/symbols/venue=<V>/<part-id>.parquet` for the symbol registry, `<dataDir>/_catalog/` for
 * the catalog. Hive-style `key=value` directories keep the layout readable by any Parquet engine and
 * open to an Iceberg export (identity partitions on venue and symbol, day transform on time).
 */
import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../core/errors.ts';

export const CATALOG_DIR = '_catalog';
export const SYMBOLS_DATASET = 'symbols';
export const TRADES_DATASET = 'trades';

/** Dataset of stored bars of one period, e.g. `bars_1m`, `bars_1h`. */
export function barsDataset(period: string): string {
  return `bars_${period}`;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks a venue or symbol name is safe as a path segment (letters, digits, `._-`). */
export function checkName(field: string, value: string): string {
  if (!NAME.test(value)) {
    throw new InvalidInputError(
      field,
      `"${value}" is not a valid name: use 1-64 letters, digits, ".", "_" or "-" (e.g. BINANCE, BTCUSDT)`,
    );
  }
  return value;
}

const DAY_US = 86_400_000_000;
const dayCache = new Map<number, string>();

/** The UTC date partition (`YYYY-MM-DD`) of an epoch-microsecond time. */
export function dateOfUs(timeUs: number): string {
  const day = Math.floor(timeUs / DAY_US);
  let s = dayCache.get(day);
  if (s === undefined) {
    s = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (dayCache.size > 4096) dayCache.clear();
    dayCache.set(day, s);
  }
  return s;
}

/** Start (epoch µs) of a `YYYY-MM-DD` date partition. */
export function dayStartUs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) * 1000;
}

/** Relative directory of one series partition. */
export function partitionDir(dataset: string, venue: string, symbol: string, date: string | null): string {
  if (date === null) return `${dataset}/venue=${venue}`;
  return `${dataset}/venue=${venue}/symbol=${symbol}/date=${date}`;
}

/** Key of a series in the catalog: dataset, venue and symbol (symbol is empty for the registry). */
export function catalogKey(dataset: string, venue: string, symbol: string): string {
  return `${dataset}|${venue}|${symbol}`;
}

/**
 * A fresh part id: time-ordered (zero-padded epoch ms), then pid and random bytes so two
 * writers never collide and a file name is never reused (readers may cache by name).
 */
export function newPartId(nowMs: number): string {
  return `${String(nowMs).padStart(14, '0')}-${process.pid}-${randomBytes(6).toString('hex')}`;
}
