/** Which files a run created or changed under its writable folders (size and mtime before and after). */
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** A file a run wrote, relative to the workspace (`src/…` or `scratch/…`). */
export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
}

type Snapshot = Map<string, string>;

/** Size and mtime of every regular file under `roots` (keyed `label/relative path`); dot-entries skipped. */
export async function snapshotFiles(roots: Readonly<Record<string, string>>): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const [label, root] of Object.entries(roots)) {
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isFile()) continue;
      const full = join(e.parentPath, e.name);
      const rel = relative(root, full);
      if (rel.split('/').some((part) => part.startsWith('.'))) continue;
      const s = await stat(full).catch(() => null);
      if (s !== null) out.set(`${label}/${rel}`, `${s.size}:${s.mtimeMs}`);
    }
  }
  return out;
}

/** Files in `after` that are new or differ from `before`, in path order. */
export function changedFiles(before: Snapshot, after: Snapshot): WrittenFile[] {
  const out: WrittenFile[] = [];
  for (const [path, sig] of after) {
    if (before.get(path) !== sig) out.push({ path, bytes: Number(sig.slice(0, sig.indexOf(':'))) });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}
