/**
 * A writer killed with SIGKILL at random points (often mid-flush or mid-commit) leaves a store
 * where every query is consistent: only whole commits are visible, every listed file is whole,
 * and the next writer breaks the dead writer's lock and carries on. A reader in another process
 * than the writer sees only whole commits while the writer runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, testRandom, until } from '../../test/support/index.ts';
import { createStoreCompactor, createStoreReader, type StoreReader } from './index.ts';
import { tempStore } from './testing/temp-store.ts';

const BATCH = 250;
const S = { venue: 'BINANCE', symbol: 'BTCUSDT' };
const store = tempStore({ gc: { retentionMs: 0 } });
afterAll(() => store.cleanup());

function startWriter(): { child: ChildProcess; commits: number[]; firstCommit: Promise<void> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'pipeline/store/testing/child-writer.ts'), store.dir, String(BATCH)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const commits: number[] = [];
  const firstCommit = new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const [, , lastSeq] = buf.slice(0, nl).split(' ');
        commits.push(Number(lastSeq));
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        resolve();
      }
    });
    child.on('exit', (code, signal) => reject(new Error(`writer exited early: ${code ?? signal}`)));
  });
  return { child, commits, firstCommit };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Checks what a reader sees is a whole number of whole commits, contiguous from seq 1. The writer
 * may commit between two queries, so each check is made within one query's answer.
 */
async function checkConsistent(reader: StoreReader): Promise<number> {
  const listed = reader.describeSeries({ dataset: 'trades' })[0]?.rows ?? 0;
  expect(listed % BATCH).toBe(0);
  if (listed === 0) return 0;
  const gaps = await reader.tradeGaps(S);
  const rows = gaps.rows;
  expect(rows % BATCH).toBe(0);
  expect(rows).toBeGreaterThanOrEqual(listed);
  expect(gaps).toMatchObject({ firstSeq: 1, lastSeq: rows, seqHoles: 0 });
  const tail = await reader.getTrades({ ...S, fromSeq: rows - BATCH + 1, toSeq: rows });
  expect(tail.map((t) => t.seq)).toEqual(Array.from({ length: BATCH }, (_, k) => rows - BATCH + 1 + k));
  return rows;
}

describe('crash safety', () => {
  it('a writer killed with SIGKILL at random points leaves only whole commits visible', async () => {
    const reader = await createStoreReader({}, store.config);
    const random = testRandom('store crash test');
    let seen = 0;
    try {
      for (let round = 0; round < 5; round++) {
        const w = startWriter();
        await w.firstCommit;
        // The kill lands wherever the writer is after a random pause; every point must be safe,
        // so what is asserted holds whatever the pause hits. The seed is printed to replay the draws.
        const pauseMs = random.int(20, 420);
        await new Promise((r) => setTimeout(r, pauseMs));
        w.child.kill('SIGKILL');
        await exited(w.child);
        const rows = await checkConsistent(reader);
        // Everything the writer reported committed is visible (a commit may have landed unreported).
        expect(rows).toBeGreaterThanOrEqual(w.commits.at(-1)!);
        expect(rows).toBeGreaterThan(seen);
        seen = rows;
      }
      // A compaction and GC pass over the debris (orphans of killed flushes) keeps it consistent.
      const compactor = await createStoreCompactor({}, store.config);
      await compactor.runOnce();
      await compactor.stop();
      expect(await checkConsistent(reader)).toBe(seen);
    } finally {
      reader.close();
    }
  }, 180_000);

  it('a reader in another process sees only whole commits while the writer runs', async () => {
    const reader = await createStoreReader({}, store.config);
    const w = startWriter();
    try {
      await w.firstCommit;
      let last = 0;
      let reads = 0;
      // Read, as fast as queries answer, until the writer has committed several more times.
      const commits = 6;
      await until(
        async () => {
          const reported = w.commits.at(-1) ?? 0;
          const rows = await checkConsistent(reader);
          // Never goes back, and shows at least what the writer had reported committed.
          expect(rows).toBeGreaterThanOrEqual(Math.max(last, reported));
          last = rows;
          reads++;
          return w.commits.length >= commits && reads > 3;
        },
        () => `${commits} commits by the writer (${w.commits.length} so far, ${reads} reads)`,
        { timeoutMs: 90_000, intervalMs: 0 },
      );
    } finally {
      w.child.kill('SIGTERM');
      await exited(w.child);
      reader.close();
    }
  }, 120_000);
});
