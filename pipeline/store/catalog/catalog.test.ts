import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage } from '../compaction/gc.ts';
import { StoreConflictError, StoreCorruptError, StoreLockError } from '../errors.ts';
import { tempStore } from '../testing/temp-store.ts';
import { type AddedFile, createCatalog } from './catalog.ts';
import { DELTA_FORMAT, MAX_DELTA_DEPTH, STORE_FORMAT } from './manifest.ts';

const LOCK = { staleMs: 30_000, timeoutMs: 2_000 };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function fresh() {
  const store = tempStore();
  cleanups.push(store.cleanup);
  return store.dir;
}

function file(n: number, key = 'trades|BINANCE|BTCUSDT'): AddedFile {
  return {
    key,
    dataset: 'trades',
    venue: 'BINANCE',
    symbol: 'BTCUSDT',
    entry: {
      path: `trades/venue=BINANCE/symbol=BTCUSDT/date=2024-08-08/p${n}.parquet`,
      date: '2024-08-08',
      rows: 10,
      bytes: 100,
      minTimeUs: n * 10,
      maxTimeUs: n * 10 + 9,
      minSeq: n * 10,
      maxSeq: n * 10 + 9,
    },
  };
}

describe('catalog', () => {
  it('starts empty and makes a commit visible to another handle through CURRENT', async () => {
    const dir = fresh();
    const writer = createCatalog(dir, LOCK);
    const reader = createCatalog(dir, LOCK);
    expect(reader.current().version).toBe(0);
    expect(await writer.commit({ add: [file(1), file(2)] })).toBe(1);
    const snap = reader.current();
    expect(snap.version).toBe(1);
    expect(reader.files(snap, 'trades|BINANCE|BTCUSDT').map((f) => f.path.slice(-10))).toEqual([
      'p1.parquet',
      'p2.parquet',
    ]);
    expect(readFileSync(join(dir, '_catalog', 'CURRENT'), 'utf8').trim()).toBe('v00000001');
  });

  it('fails a commit whose files cannot all be made durable, leaving CURRENT and the lock as they were', async () => {
    const dir = fresh();
    const catalog = createCatalog(dir, LOCK);
    await catalog.commit({ add: [file(1)] });
    // A directory to sync that does not exist: the commit must fail before its commit point.
    const failed = await catalog.commit({ add: [file(2)], syncDirs: [join(dir, 'missing')] }).catch((e) => e);
    expect(failed).toMatchObject({ code: 'ENOENT' });
    expect(readFileSync(join(dir, '_catalog', 'CURRENT'), 'utf8').trim()).toBe('v00000001');
    expect(existsSync(join(dir, '_catalog', 'LOCK'))).toBe(false);
    // The next commit takes the same version, rewriting the names the failed one wrote.
    expect(await catalog.commit({ add: [file(2)], syncDirs: [dir] })).toBe(2);
    const other = createCatalog(dir, LOCK);
    expect(other.files(other.current(), 'trades|BINANCE|BTCUSDT')).toHaveLength(2);
  });

  it('serializes concurrent committers (no lost update)', async () => {
    const dir = fresh();
    const handles = [createCatalog(dir, LOCK), createCatalog(dir, LOCK), createCatalog(dir, LOCK)];
    await Promise.all(Array.from({ length: 30 }, (_, i) => handles[i % 3]!.commit({ add: [file(i)] })));
    const c = createCatalog(dir, LOCK);
    const snap = c.current();
    expect(snap.version).toBe(30);
    expect(c.files(snap, 'trades|BINANCE|BTCUSDT')).toHaveLength(30);
    expect(existsSync(join(dir, '_catalog', 'LOCK'))).toBe(false);
  });

  it('swaps files atomically and refuses to remove a file that is no longer live', async () => {
    const dir = fresh();
    const c = createCatalog(dir, LOCK);
    await c.commit({ add: [file(1), file(2)] });
    const key = 'trades|BINANCE|BTCUSDT';
    const [a, b] = c.files(c.current(), key);
    await c.commit({
      add: [file(3)],
      remove: [
        { key, path: a!.path },
        { key, path: b!.path },
      ],
    });
    const snap = c.current();
    expect(c.files(snap, key).map((f) => f.path.slice(-10))).toEqual(['p3.parquet']);
    expect(snap.removed.map((r) => r.path)).toEqual([a!.path, b!.path]);
    await expect(c.commit({ add: [file(4)], remove: [{ key, path: a!.path }] })).rejects.toThrow(
      StoreConflictError,
    );
    expect(c.current().version).toBe(2);
  });

  it('breaks a lock left by a dead process, and times out on a live one', async () => {
    const dir = fresh();
    const lockPath = join(dir, '_catalog', 'LOCK');
    const c = createCatalog(dir, LOCK);
    const { hostname } = await import('node:os');
    // pid 2^22+1 is above the default pid_max: never alive.
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: 4_194_305, host: hostname(), createdMs: Date.now(), token: 'x' }),
    );
    expect(await c.commit({ add: [file(1)] })).toBe(1);
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: process.pid, host: hostname(), createdMs: Date.now(), token: 'y' }),
    );
    const impatient = createCatalog(dir, { staleMs: 30_000, timeoutMs: 50 });
    await expect(impatient.commit({ add: [file(2)] })).rejects.toThrow(StoreLockError);
    expect(existsSync(lockPath)).toBe(true);
  });

  it('writes series manifests as deltas on their parent, whole again past the depth limit, read the same by a new handle', async () => {
    const dir = fresh();
    const c = createCatalog(dir, LOCK);
    const key = 'trades|BINANCE|BTCUSDT';
    const commits = MAX_DELTA_DEPTH + 5;
    // Added newest first now and then (out of time order), and a compaction-like swap midway.
    for (let i = 1; i <= commits; i++) await c.commit({ add: [file(i % 7 === 0 ? 1000 - i : i)] });
    const [a, b] = c.files(c.current(), key);
    await c.commit({
      add: [file(5000)],
      remove: [
        { key, path: a!.path },
        { key, path: b!.path },
      ],
    });
    const want = c.files(c.current(), key);
    expect(want).toHaveLength(commits - 1);
    const sorted = [...want].sort((x, y) => x.minTimeUs - y.minTimeUs);
    expect(want).toEqual(sorted);
    // A new handle resolves the chain from disk to the same files.
    const other = createCatalog(dir, LOCK, { create: false });
    expect(other.files(other.current(), key)).toEqual(want);
    const formats = readdirSync(join(dir, '_catalog', 'series')).map(
      (n) =>
        (JSON.parse(readFileSync(join(dir, '_catalog', 'series', n), 'utf8')) as { format: string }).format,
    );
    expect(formats.filter((f) => f === STORE_FORMAT)).toHaveLength(2);
    expect(formats.filter((f) => f === DELTA_FORMAT)).toHaveLength(commits + 1 - 2);
  });

  it('GC keeps the parents of delta manifests that kept snapshots use', async () => {
    const dir = fresh();
    const c = createCatalog(dir, LOCK);
    for (let i = 1; i <= 10; i++) await c.commit({ add: [file(i)] });
    const report = await collectGarbage(c, { retentionMs: 0, keepSnapshots: 2 });
    expect(report.snapshots).toBe(8);
    expect(report.seriesManifests).toBe(0);
    const other = createCatalog(dir, LOCK, { create: false });
    expect(other.files(other.current(), 'trades|BINANCE|BTCUSDT')).toHaveLength(10);
  });

  it('names a delta manifest that removes files its parent lacks as corrupt', async () => {
    const dir = fresh();
    const c = createCatalog(dir, LOCK);
    await c.commit({ add: [file(1)] });
    await c.commit({ add: [file(2)] });
    const path = join(dir, '_catalog', 'series', 'v00000002-0.json');
    const delta = JSON.parse(readFileSync(path, 'utf8')) as { remove: string[] };
    delta.remove = ['trades/none.parquet'];
    writeFileSync(path, JSON.stringify(delta));
    const other = createCatalog(dir, LOCK, { create: false });
    expect(() => other.files(other.current(), 'trades|BINANCE|BTCUSDT')).toThrow(StoreCorruptError);
    expect(() => other.files(other.current(), 'trades|BINANCE|BTCUSDT')).toThrow(/v00000002-0\.json/);
  });
});
