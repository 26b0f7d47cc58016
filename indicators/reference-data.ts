import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** Absolute path of the shared recorded-data folder (`../shared/data` from the repo root). */
export function sharedDataDir(): string {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  return path.resolve(repoRoot, '..', 'shared', 'data');
}

/** The TA-Lib reference table: every CSV column as a Float64Array (empty cells → NaN). */
export interface TalibReference {
  readonly rows: number;
  readonly columns: Record<string, Float64Array>;
}

/**
 * Loads `indicators/talib-BTC_USDT-5m-20230102-20230209.csv.gz` (10,999 real 5m candles
 * plus 36 TA-Lib output columns). Used by tests and the bench; not by production code.
 */
export function loadTalibReference(): TalibReference {
  const file = path.join(sharedDataDir(), 'indicators', 'talib-BTC_USDT-5m-20230102-20230209.csv.gz');
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const rows = lines.length - 1;
  const columns: Record<string, Float64Array> = {};
  for (const name of header) columns[name] = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1]!.split(',');
    for (let c = 0; c < header.length; c++) {
      const cell = cells[c] ?? '';
      columns[header[c]!]![r] = cell === '' ? Number.NaN : Number(cell);
    }
  }
  return { rows, columns };
}
