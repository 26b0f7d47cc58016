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
      { recycleAfterFiles: 2 },
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
});
