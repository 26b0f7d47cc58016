/**
 * Which files to merge (pure). A partition's small files are merged once there are `minFiles`
 * of them, or as soon as there are two when the partition's day is over (it will not grow).
 * A merge stops adding files before it would pass `maxFileRows`.
 */
import type { FileEntry } from '../catalog/manifest.ts';

export interface MergePlanOptions {
  readonly smallFileRows: number;
  readonly minFiles: number;
  readonly maxFileRows: number;
  /** Today's UTC date (`YYYY-MM-DD`): partitions before it are closed. */
  readonly today: string;
}

/** Groups of files (each one future merged file) for one series. */
export function planMerges(files: readonly FileEntry[], o: MergePlanOptions): FileEntry[][] {
  const byDate = new Map<string, FileEntry[]>();
  for (const f of files) {
    if (f.rows >= o.smallFileRows) continue;
    const d = f.date ?? '';
    let list = byDate.get(d);
    if (list === undefined) {
      list = [];
      byDate.set(d, list);
    }
    list.push(f);
  }
  const merges: FileEntry[][] = [];
  for (const [date, small] of byDate) {
    const closed = date !== '' && date < o.today;
    if (small.length < (closed ? 2 : o.minFiles)) continue;
    small.sort((a, b) => a.minTimeUs - b.minTimeUs);
    let group: FileEntry[] = [];
    let rows = 0;
    for (const f of small) {
      if (group.length > 0 && rows + f.rows > o.maxFileRows) {
        if (group.length > 1) merges.push(group);
        group = [];
        rows = 0;
      }
      group.push(f);
      rows += f.rows;
    }
    if (group.length > 1) merges.push(group);
  }
  return merges;
}
