import { describe, expect, it } from 'vitest';
import { createDeduplicator } from './index.ts';

const S = 'BINANCE:BTCUSDT';

describe('dedup with integer ids', () => {
  it('passes new ids, drops duplicates, accepts reordered ids inside the window', () => {
    const d = createDeduplicator({ windowIds: 64 });
    expect(['100', '101', '103', '101', '102', '103', '99', '99'].map((id) => d.check(S, id))).toEqual([
      'new',
      'new',
      'new',
      'duplicate',
      'new',
      'duplicate',
      'new',
      'duplicate',
    ]);
    expect(d.stats()).toMatchObject({ accepted: 5, duplicates: 3, expired: 0, series: 1 });
  });

  it('keeps series apart', () => {
    const d = createDeduplicator();
    expect(d.check('BINANCE:BTCUSDT', '7')).toBe('new');
    expect(d.check('BINANCE:ETHUSDT', '7')).toBe('new');
    expect(d.check('BINANCE:ETHUSDT', '7')).toBe('duplicate');
  });

  it('reports ids past the window as expired, never as new', () => {
    const d = createDeduplicator({ windowIds: 64 });
    d.check(S, '1000');
    d.check(S, '1100');
    expect(d.check(S, '1036')).toBe('expired');
    expect(d.check(S, '1037')).toBe('new');
    expect(d.check(S, '1000')).toBe('expired');
  });

  it('handles a jump larger than the window', () => {
    const d = createDeduplicator({ windowIds: 32 });
    d.check(S, '5');
    d.check(S, '6');
    expect(d.check(S, '1000000')).toBe('new');
    expect(d.check(S, '999999')).toBe('new');
    expect(d.check(S, '999999')).toBe('duplicate');
    expect(d.check(S, '6')).toBe('expired');
  });

  it('works with ids above 2^32 (Binance ids are)', () => {
    const d = createDeduplicator({ windowIds: 64 });
    const base = 2 ** 40 + 3;
    expect(d.checkId(S, base)).toBe('new');
    expect(d.checkId(S, base + 1)).toBe('new');
    expect(d.checkId(S, base)).toBe('duplicate');
    expect(d.checkId(S, base + 64 + 1)).toBe('new');
    expect(d.checkId(S, base + 1)).toBe('expired');
  });

  it('restores exactly: same verdicts after snapshot/restore, per series and whole', () => {
    const a = createDeduplicator({ windowIds: 128 });
    for (const id of [10, 11, 13, 15, 16, 40, 39]) a.checkId(S, id);
    a.check('X:Y', 'abc');
    const whole = createDeduplicator({ windowIds: 128 });
    whole.restore(a.snapshot());
    const one = createDeduplicator({ windowIds: 128 });
    one.restoreSeries(S, a.snapshotSeries(S)!);
    const probe = [9, 10, 12, 13, 14, 17, 38, 39, 40, 41];
    const expected = probe.map((id) => a.checkId(S, id));
    expect(probe.map((id) => whole.checkId(S, id))).toEqual(expected);
    expect(probe.map((id) => one.checkId(S, id))).toEqual(expected);
    expect(expected).toEqual([
      'new',
      'duplicate',
      'new',
      'duplicate',
      'new',
      'new',
      'new',
      'duplicate',
      'duplicate',
      'new',
    ]);
    expect(whole.check('X:Y', 'abc')).toBe('duplicate');
  });

  it('snapshots stay small for contiguous ids (holes only, not the bitmap)', () => {
    const d = createDeduplicator();
    for (let id = 3_735_683_259; id < 3_735_683_259 + 20_000; id++) d.checkId(S, id);
    expect(d.snapshotSeries(S)!.length).toBeLessThan(32);
    expect(d.takeChanged()).toEqual([S]);
    expect(d.takeChanged()).toEqual([]);
  });
});

describe('dedup with string ids', () => {
  it('remembers the last maxRecentIds ids and forgets older ones', () => {
    const d = createDeduplicator({ maxRecentIds: 2 });
    expect(d.check(S, 'a-1')).toBe('new');
    expect(d.check(S, 'a-2')).toBe('new');
    expect(d.check(S, 'a-1')).toBe('duplicate');
    expect(d.check(S, 'a-3')).toBe('new');
    expect(d.check(S, 'a-1')).toBe('new'); // evicted: documented limit
  });

  it('rejects bad options when built', () => {
    expect(() => createDeduplicator({ windowIds: 100 })).toThrow(/power of two/);
    expect(() => createDeduplicator({ maxRecentIds: 0 })).toThrow(/positive/);
  });
});
