import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSeriesRegistry,
  type SeriesMissReason,
  SeriesReferenceError,
  type SeriesRegistry,
  type SeriesRegistryOptions,
  type Table,
} from './series-registry.ts';

const T0 = Date.parse('2024-08-09T00:00:00Z');
const HOUR = 3_600_000;

const table: Table = {
  columns: ['time', 'close', 'rsi', 'trades'],
  rows: [
    ['2024-08-09T00:00:00Z', '61000.10', '', 3],
    ['2024-08-09T00:01:00Z', '61001.20', Number.NaN, 5],
    ['2024-08-09T00:02:00Z', '61002.30', 55.123456789, 7],
    ['2024-08-09T00:03:00Z', '61003.40', 44.5, 0],
    ['2024-08-09T00:04:00Z', '61004.50', 70, 11],
  ],
};

/** The reason a read of `uri` by `user` fails with (it must fail). */
async function missReason(r: SeriesRegistry, user: string, uri: string): Promise<[SeriesMissReason, string]> {
  const error = await r.get(user, uri).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeriesReferenceError);
  const e = error as SeriesReferenceError;
  return [e.reason, e.message];
}

describe('series registry on disk', () => {
  let dataDir: string;
  let clock: number;
  const opened: SeriesRegistry[] = [];
  const open = (options: Partial<SeriesRegistryOptions> = {}) => {
    const r = createSeriesRegistry({ dataDir, now: () => clock, ...options });
    opened.push(r);
    return r;
  };
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'qf-series-'));
    clock = T0;
  });
  afterEach(() => {
    for (const r of opened.splice(0)) r.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a table as one Parquet file per reference and reads it back, whole and by page', async () => {
    const r = open();
    const info = await r.put('alice', 'BINANCE:BTCUSDT 1m bars', table);
    expect(info).toMatchObject({ ownerId: 'alice', rows: 5, createdAt: T0, expiresAt: T0 + HOUR });
    expect(info.uri).toMatch(/^series:\/\/[\w-]+$/);
    // One file, no temp file left behind.
    expect(readdirSync(join(dataDir, 'series', 'alice'))).toEqual([`${info.uri.slice(9)}.parquet`]);
    expect(r.pathOf('alice', info.uri)).toBe(
      join(dataDir, 'series', 'alice', `${info.uri.slice(9)}.parquet`),
    );

    const entry = await r.get('alice', info.uri);
    expect(entry.title).toBe('BINANCE:BTCUSDT 1m bars');
    expect(entry.table.columns).toEqual(table.columns);
    // '' and NaN are both "no value" and read back as ''; everything else as written.
    expect(entry.table.rows).toEqual(table.rows.map((row) => row.map((c) => (Number.isNaN(c) ? '' : c))));

    const first = await r.page('alice', info.uri, undefined, 2);
    expect(first).toMatchObject({ offset: 0, nextCursor: '2', columns: table.columns });
    expect(first.rows.map((x) => x[1])).toEqual(['61000.10', '61001.20']);
    const last = await r.page('alice', info.uri, '4', 2);
    expect(last).toMatchObject({ offset: 4, nextCursor: null });
    expect(last.rows).toEqual([['2024-08-09T00:04:00Z', '61004.50', 70, 11]]);
    await expect(r.page('alice', info.uri, '6', 2)).rejects.toThrow(/^cursor: "6" is not a cursor of/);
    await expect(r.page('alice', info.uri, '1.5', 2)).rejects.toThrow(/^cursor: /);
  });

  it('writes a file other readers understand: typed columns and the metadata in the footer', async () => {
    const info = await open().put('alice', "RSI(14) on BINANCE:BTCUSDT 1m (it's)", table);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const path = join(dataDir, 'series', 'alice', `${info.uri.slice(9)}.parquet`);
      const types = await conn.runAndReadAll(
        'SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($1))',
        [path],
      );
      expect(types.getRows()).toEqual([
        ['time', 'VARCHAR'],
        ['close', 'VARCHAR'],
        ['rsi', 'DOUBLE'],
        ['trades', 'DOUBLE'],
      ]);
      const kv = await conn.runAndReadAll('SELECT decode(key), decode(value) FROM parquet_kv_metadata($1)', [
        path,
      ]);
      expect(Object.fromEntries(kv.getRows())).toEqual({
        title: "RSI(14) on BINANCE:BTCUSDT 1m (it's)",
        owner: 'alice',
        created_at: '2024-08-09T00:00:00.000Z',
        expires_at: '2024-08-09T01:00:00.000Z',
        rows: '5',
      });
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it('is read by another registry over the same data dir (another process)', async () => {
    const info = await open().put('alice', 'bars', table);
    const other = open();
    expect((await other.page('alice', info.uri, '3', 10)).rows).toHaveLength(2);
    expect((await other.list('alice')).map((e) => e.uri)).toEqual([info.uri]);
  });

  it("keeps users apart: another user's reference is refused as such, and not listed", async () => {
    const r = open();
    const info = await r.put('alice', 'bars', table);
    const [reason, message] = await missReason(r, 'bob', info.uri);
    expect(reason).toBe('other-user');
    expect(message).toMatch(/^uri: series:\/\/\S+ belongs to another user; .*run the query yourself/);
    await expect(r.page('bob', info.uri, undefined, 10)).rejects.toThrow(/belongs to another user/);
    expect(await r.list('bob')).toEqual([]);
    expect((await r.list('alice')).map((e) => e.uri)).toEqual([info.uri]);
    // The owner comes from the transport but becomes a folder name: never a path.
    await expect(r.put('../alice', 'x', table)).rejects.toThrow(/is not a user id/);
  });

  it('expires references after the TTL, says so (also once the file is gone), and removes them', async () => {
    const r = open({ ttlMs: HOUR });
    const info = await r.put('alice', 'bars', table);
    const file = r.pathOf('alice', info.uri);
    clock = T0 + HOUR - 1;
    expect((await r.get('alice', info.uri)).table.rows).toHaveLength(5);
    clock = T0 + HOUR;
    expect(await r.list('alice')).toEqual([]);
    const [reason, message] = await missReason(r, 'alice', info.uri);
    expect(reason).toBe('expired');
    expect(message).toMatch(
      /^uri: series:\/\/\S+ expired at 2024-08-09T01:00:00\.000Z \(references are kept 60 min\); run the query that made it again/,
    );
    expect(existsSync(file)).toBe(false);
    // Another user asking for it learns only that it expired.
    expect((await missReason(r, 'bob', info.uri))[0]).toBe('expired');
  });

  it('sweeps expired files and leftovers of interrupted writes of every user, keeping live ones', async () => {
    const r = open({ ttlMs: HOUR, sweepEveryMs: 2 * HOUR });
    const old = await r.put('alice', 'old', table);
    const oldBob = await r.put('bob', 'old', table);
    // A write that died before its rename (same naming as a real one).
    const leftover = join(
      dataDir,
      'series',
      'bob',
      `.${(T0 + HOUR).toString(36)}_AAAAAAAAAAAAAAAA.parquet.tmp`,
    );
    writeFileSync(leftover, 'partial');
    clock = T0 + HOUR / 2;
    const fresh = await r.put('carol', 'fresh', table);
    // Not yet expired: nothing to remove.
    expect(await r.sweep()).toBe(0);
    clock = T0 + HOUR;
    expect(await r.sweep()).toBe(3);
    expect(existsSync(r.pathOf('alice', old.uri))).toBe(false);
    expect(existsSync(r.pathOf('bob', oldBob.uri))).toBe(false);
    expect(existsSync(leftover)).toBe(false);
    expect((await r.get('carol', fresh.uri)).title).toBe('fresh');
    expect((await missReason(r, 'alice', old.uri))[0]).toBe('expired');
  });

  it('sweeps lazily: a put sweeps every folder once sweepEveryMs has passed since the last sweep', async () => {
    const r = open({ ttlMs: HOUR, sweepEveryMs: 2 * HOUR });
    const old = await r.put('alice', 'old', table);
    clock = T0 + HOUR;
    await r.put('bob', 'new', table);
    expect(existsSync(r.pathOf('alice', old.uri))).toBe(true);
    clock = T0 + 2 * HOUR;
    await r.put('bob', 'newer', table);
    expect(existsSync(r.pathOf('alice', old.uri))).toBe(false);
  });

  it('keeps the newest maxPerUser references of a user', async () => {
    const r = open({ maxPerUser: 2 });
    const uris: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock = T0 + i;
      uris.push((await r.put('alice', `t${i}`, table)).uri);
    }
    expect((await r.list('alice')).map((e) => e.title)).toEqual(['t2', 't1']);
    const [reason, message] = await missReason(r, 'alice', uris[0]!);
    expect(reason).toBe('unknown');
    expect(message).toMatch(/a user keeps the newest 2/);
  });

  it('tells an unknown reference from a malformed argument', async () => {
    const r = open();
    const future = `series://${(T0 + HOUR).toString(36)}_AAAAAAAAAAAAAAAA`;
    const [reason, message] = await missReason(r, 'alice', future);
    expect(reason).toBe('unknown');
    expect(message).toMatch(/^uri: series:\/\/\S+ is unknown: .*share --data-dir/);
    expect((await missReason(r, 'alice', 'series://nope'))[0]).toBe('unknown');
    const notRef = await r.get('alice', 'https://example.com', 'series').catch((e: unknown) => e);
    expect(notRef).not.toBeInstanceOf(SeriesReferenceError);
    expect(String(notRef)).toMatch(/series: "https:\/\/example.com" is not a series reference/);
  });
});
