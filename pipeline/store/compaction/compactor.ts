/**
 * The background compactor: merges a partition's small files into one and commits the swap
 * atomically (new file added, old files removed, in one catalog commit), then lets GC delete
 * the old files once no reader can still be using them.
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../core/logger.ts';
import { type Catalog, createCatalog } from '../catalog/catalog.ts';
import type { FileEntry } from '../catalog/manifest.ts';
import type { StoreConfig } from '../config.ts';
import { type DuckSession, openDuckSession } from '../duckdb/session.ts';
import { StoreConflictError } from '../errors.ts';
import { dateOfUs } from '../layout.ts';
import { copyToParquet } from '../writer/parquet-file.ts';
import { collectGarbage, type GcReport } from './gc.ts';
import { mergeSelectSql, statsSql } from './merge-sql.ts';
import { planMerges } from './plan.ts';

/** Injected dependencies of the compactor (all optional). */
export interface StoreCompactorDeps {
  readonly logger?: Logger;
}

/** What one compaction pass did. */
export interface CompactionReport {
  readonly merged: number;
  readonly filesIn: number;
  readonly conflicts: number;
  readonly gc: GcReport;
}

/** Handle on the compactor: run a pass now, or every `compaction.intervalMs`. */
export interface StoreCompactor {
  runOnce(): Promise<CompactionReport>;
  start(): void;
  stop(): Promise<void>;
}

async function mergeGroup(
  session: DuckSession,
  catalog: Catalog,
  key: string,
  group: readonly FileEntry[],
): Promise<boolean> {
  const [dataset = '', venue = '', symbol = ''] = key.split('|');
  const first = group[0]!;
  const relDir = first.path.slice(0, first.path.lastIndexOf('/'));
  const paths = group.map((f) => join(catalog.dataDir, f.path));
  const file = await copyToParquet(
    session.connection,
    catalog.dataDir,
    relDir,
    mergeSelectSql(dataset, paths),
    Date.now(),
  );
  const abs = join(catalog.dataDir, file.path);
  try {
    const s = (await session.connection.runAndReadAll(statsSql(dataset, abs))).getColumns();
    const num = (k: number) => (s[k]![0] as number | null) ?? null;
    await catalog.commit({
      // The merged file's rename is made durable before the commit point.
      syncDirs: [join(catalog.dataDir, relDir)],
      add: [
        {
          key,
          dataset,
          venue,
          symbol,
          entry: {
            path: file.path,
            date: first.date,
            rows: num(0) ?? 0,
            bytes: file.bytes,
            minTimeUs: num(1) ?? first.minTimeUs,
            maxTimeUs: num(2) ?? first.maxTimeUs,
            minSeq: num(3),
            maxSeq: num(4),
          },
        },
      ],
      remove: group.map((f) => ({ key, path: f.path })),
    });
    return true;
  } catch (err) {
    try {
      unlinkSync(abs);
    } catch {
      // GC removes it later.
    }
    if (err instanceof StoreConflictError) return false;
    throw err;
  }
}

/** Creates a compactor over `config.dataDir` (its own in-memory DuckDB). */
export async function createStoreCompactor(
  deps: StoreCompactorDeps,
  config: StoreConfig,
): Promise<StoreCompactor> {
  const catalog = createCatalog(config.dataDir, config.lock);
  const session = await openDuckSession(config.duckdb);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<CompactionReport> | null = null;

  async function pass(): Promise<CompactionReport> {
    const snap = catalog.current();
    const today = dateOfUs(Date.now() * 1000);
    let merged = 0;
    let filesIn = 0;
    let conflicts = 0;
    for (const key of snap.series.keys()) {
      const groups = planMerges(catalog.files(snap, key), { ...config.compaction, today });
      for (const g of groups) {
        if (await mergeGroup(session, catalog, key, g)) {
          merged++;
          filesIn += g.length;
        } else conflicts++;
      }
    }
    const gc = await collectGarbage(catalog, config.gc);
    deps.logger?.debug({ merged, filesIn, conflicts, gc }, 'store compaction pass');
    return { merged, filesIn, conflicts, gc };
  }

  function runOnce(): Promise<CompactionReport> {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    runOnce,
    start() {
      if (timer !== null) return;
      timer = setInterval(() => {
        runOnce().catch((err: unknown) =>
          deps.logger?.warn({ err }, 'store compaction failed; retried next pass'),
        );
      }, config.compaction.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
      session.close();
    },
  };
}
