import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADABTC_KLINES_CSV } from '../replay/testing/index.ts';
import { createVenueSimulator, type VenueSimulator } from './index.ts';

let sim: VenueSimulator;
beforeAll(async () => {
  sim = createVenueSimulator({}, { csv: [{ symbol: 'ADABTC', kind: 'klines', path: ADABTC_KLINES_CSV }] });
  await sim.start();
});
afterAll(async () => {
  await sim.stop();
});

const klines = async (query: string): Promise<unknown[][]> =>
  (await (await fetch(`${sim.restUrl}/api/v3/klines?symbol=ADABTC&${query}`)).json()) as unknown[][];

describe('venue simulator serving recorded klines', () => {
  it('serves the recorded 1m klines exactly as recorded', async () => {
    const rows = readFileSync(ADABTC_KLINES_CSV, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const got = await klines('interval=1m');
    expect(got.map((k) => k.map(String))).toEqual(rows);
  });

  it('aggregates them into 5m bars equal to a DuckDB aggregation of the file', async () => {
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await duck.runAndReadAll(`
      SELECT (t // 300000) * 300000 AS t, arg_min(o, t)::VARCHAR AS o, max(h)::VARCHAR AS h, min(l)::VARCHAR AS l,
        arg_max(c, t)::VARCHAR AS c, sum(v)::VARCHAR AS v, sum(qv)::VARCHAR AS qv, sum(n)::INTEGER AS n,
        sum(tb)::VARCHAR AS tb, sum(tq)::VARCHAR AS tq
      FROM read_csv('${ADABTC_KLINES_CSV}', header = false, columns = {'t': 'BIGINT', 'o': 'DECIMAL(18,8)',
        'h': 'DECIMAL(18,8)', 'l': 'DECIMAL(18,8)', 'c': 'DECIMAL(18,8)', 'v': 'DECIMAL(18,8)', 'ct': 'BIGINT',
        'qv': 'DECIMAL(18,8)', 'n': 'INTEGER', 'tb': 'DECIMAL(18,8)', 'tq': 'DECIMAL(18,8)', 'ignore': 'VARCHAR'})
      GROUP BY 1 ORDER BY 1`);
    const expected = reader
      .getRowObjectsJson()
      .map((r) => [Number(r.t), r.o, r.h, r.l, r.c, r.v, Number(r.t) + 299_999, r.qv, r.n, r.tb, r.tq, '0']);
    expect(expected).toHaveLength(2);
    expect(await klines('interval=5m')).toEqual(expected);
    // Finer than recorded: nothing to serve.
    expect(await klines('interval=1s')).toEqual([]);
  });
});
