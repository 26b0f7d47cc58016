import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is test/support/recorded-data.ts). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * The real recorded venue data: `../shared/data` beside the repository root (see its
 * PROVENANCE.md). It is read in place and never copied into the repository.
 */
export const RECORDED_DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');

/** The recorded data is not where the tests look for it. */
export class RecordedDataMissing extends Error {
  override readonly name = 'RecordedDataMissing';
  constructor(readonly path: string) {
    super(
      `recorded data not found: ${path} (tests read the recordings in ${RECORDED_DATA_DIR}, ` +
        '../shared/data beside the repository root; see its PROVENANCE.md)',
    );
  }
}

/**
 * Absolute path of `parts` under the recorded data (`recordedData('trades', 'x.csv.gz')`; no
 * parts: the folder itself). Throws `RecordedDataMissing`, naming the path, when it does not exist.
 */
export function recordedData(...parts: string[]): string {
  const file = path.join(RECORDED_DATA_DIR, ...parts);
  if (!existsSync(file)) throw new RecordedDataMissing(file);
  return file;
}
