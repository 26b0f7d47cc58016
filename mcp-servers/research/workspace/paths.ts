/**
 * Paths inside a user's research folder, as tools name them: relative to the folder, under
 * `src/` (the user's code, in git) or `scratch/` (outputs, not in git). Pure checks; the
 * symlink checks against the disk are in workspaces.ts.
 */
import { posix } from 'node:path';
import { invalidArgument } from '../../common/errors.ts';

/** The two areas of a user's folder. */
export type Area = 'src' | 'scratch';

/** A checked relative path and the area it is in. */
export interface FolderPath {
  readonly area: Area;
  /** Normalised, relative to the user's folder, e.g. `src/runs/3.py`. */
  readonly path: string;
}

/**
 * Checks `raw` names a file under one of `areas` (no `..`, no absolute path, no dot-file part),
 * or throws an error naming `field`.
 */
export function folderPath(field: string, raw: string, areas: readonly Area[]): FolderPath {
  const valid = `a path under ${areas.map((a) => `${a}/`).join(' or ')}, e.g. src/analysis.py`;
  if (raw.includes('\0') || raw.startsWith('/')) invalidArgument(field, `"${raw}" is not ${valid}`);
  const path = posix.normalize(raw);
  const parts = path.split('/');
  if (parts.some((p) => p === '..' || p.startsWith('.') || p === '')) {
    invalidArgument(field, `"${raw}" is not ${valid} (no "..", no dot-files)`);
  }
  const area = parts[0] as Area;
  if (!areas.includes(area) || parts.length < 2) {
    invalidArgument(field, `"${raw}" is outside what this tool may touch; expected ${valid}`);
  }
  return { area, path };
}
