import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckSession } from '../duckdb/session.ts';
import { tempStore } from '../testing/temp-store.ts';
import { createQueryRunner } from './query-runner.ts';

const store = tempStore();
afterAll(() => store.cleanup());

describe('query runner', () => {
  it('binds file lists and integers, and reopens DuckDB after too many distinct files', async () => {
    const files = [0, 1, 2, 3].map((k) => join(store.dir, `f${k}.parquet`));
    const setup = await openDuckSession({ threads: 1, memoryLimit: '' });
    for (const [k, f] of files.entries()) {
      await setup.connection.run(
        `COPY (SELECT ${k} * 10 + range AS x FROM range(10)) TO '${f}' (FORMAT parquet)`,
      );
    }
    setup.close();
    let opened = 0;
    const runner = createQueryRunner(
      () => {
        opened++;
        return openDuckSession({ threads: 1, memoryLimit: '' });
      },
      { recycleAfterFiles: 2, cacheRows: 0 },
    );
    const sql = 'SELECT count(*)::DOUBLE, sum(x)::DOUBLE FROM read_parquet($files) WHERE x >= $min';
    expect(await runner.run(sql, { files: files.slice(0, 2), min: 5 })).toEqual([[15], [180]]);
    expect(await runner.run(sql, { files: files.slice(0, 2), min: 0 })).toEqual([[20], [190]]);
    expect(opened).toBe(1);
    expect(await runner.run(sql, { files: files.slice(2), min: 0 })).toEqual([[20], [590]]);
    expect(await runner.run(sql, { files, min: 0 })).toEqual([[40], [780]]);
    expect(opened).toBe(2);
    runner.close();
    await expect(runner.run(sql, { files, min: 0 })).rejects.toThrow(/closed/);
  });

  it('answers a repeated query over the same files from its cache', async () => {
    let opened = 0;
    const runner = createQueryRunner(
      () => {
        opened++;
        return openDuckSession({ threads: 1, memoryLimit: '' });
      },
      { recycleAfterFiles: 100, cacheRows: 10 },
    );
    const files = [join(store.dir, 'f0.parquet')];
    const sql = 'SELECT x FROM read_parquet($files) WHERE x >= $min ORDER BY x';
    const first = await runner.run(sql, { files, min: 3 });
    expect(first[0]).toEqual([3, 4, 5, 6, 7, 8, 9].map(BigInt));
    expect(await runner.run(sql, { files, min: 3 })).toBe(first);
    // Another parameter (or another file list) is another query.
    expect((await runner.run(sql, { files, min: 8 }))[0]).toEqual([8n, 9n]);
    // A result over the row budget evicts the oldest.
    expect((await runner.run(sql, { files, min: 0 }))[0]).toHaveLength(10);
    expect(await runner.run(sql, { files, min: 3 })).not.toBe(first);
    expect(opened).toBe(1);
    runner.close();
    await expect(runner.run(sql, { files, min: 0 })).rejects.toThrow(/closed/);
  });
});
