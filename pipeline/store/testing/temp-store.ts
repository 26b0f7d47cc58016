/** Test helper: a fresh store directory and config (flush timer off). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStoreConfig, type StoreConfig, type StoreConfigInput } from '../config.ts';
import type { BarRow, StoredBar } from '../types.ts';

/** A temp data dir and its config; `cleanup` removes it. */
export function tempStore(overrides: StoreConfigInput = {}): {
  dir: string;
  config: StoreConfig;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'qf-store-'));
  const config = parseStoreConfig({
    ...overrides,
    dataDir: dir,
    flush: { intervalMs: 0, ...overrides.flush },
    duckdb: { threads: 1, ...overrides.duckdb },
  });
  return { dir, config, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Stored bars back into writer rows of a series. */
export function toBarRows(venue: string, symbol: string, bars: readonly StoredBar[]): BarRow[] {
  return bars.map((b) => ({ ...b, venue, symbol }));
}
