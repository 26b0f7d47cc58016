import { describe, expect, it } from 'vitest';
import { createLiveBarCache, type LiveBar } from './live-bars.ts';

const S = { venue: 'BINANCE', symbol: 'BTCUSDT' };
const MIN = 60_000_000;

function bar(minute: number, close: string, extra: Partial<LiveBar> = {}): LiveBar {
  return {
    ...S,
    period: '1m',
    openTimeUs: minute * MIN,
    open: '1',
    high: '2',
    low: '0.5',
    close,
    volume: '3',
    ...extra,
  };
}

describe('createLiveBarCache', () => {
  it('replaces a forming bar by its next emission and by the final one', () => {
    const cache = createLiveBarCache({ capacity: 10 });
    cache.update(bar(1, '1.1'));
    cache.update(bar(1, '1.2'));
    cache.update(bar(1, '1.3', { final: true }));
    cache.update(bar(1, '1.4')); // a forming emission after the final one is stale
    expect(cache.range(S, '1m', 0, 10 * MIN).map((b) => b.close)).toEqual(['1.3']);
    cache.update(bar(1, '1.5', { revision: 1, final: true })); // a late correction wins
    expect(cache.latest(S, '1m')?.close).toBe('1.5');
  });

  it('keeps the last `capacity` bars and answers from the oldest held', () => {
    const cache = createLiveBarCache({ capacity: 3 });
    for (let m = 1; m <= 5; m++) cache.update(bar(m, String(m)));
    expect(cache.coveredFromUs(S, '1m')).toBe(3 * MIN);
    expect(cache.range(S, '1m', 0, 100 * MIN).map((b) => b.close)).toEqual(['3', '4', '5']);
    expect(cache.range(S, '1m', 4 * MIN, 5 * MIN).map((b) => b.close)).toEqual(['4']);
  });

  it('puts a late bar in its place and ignores one older than its coverage', () => {
    const cache = createLiveBarCache({ capacity: 10 });
    cache.update(bar(2, '2'));
    cache.update(bar(5, '5'));
    cache.update(bar(3, '3'));
    cache.update(bar(1, '1'));
    expect(cache.range(S, '1m', 0, 100 * MIN).map((b) => b.close)).toEqual(['2', '3', '5']);
  });

  it('keeps series and periods apart, and forgets everything on clear', () => {
    const cache = createLiveBarCache({ capacity: 10 });
    cache.update(bar(1, '1'));
    cache.update({ ...bar(0, '9'), period: '5m' });
    expect(cache.latest({ venue: 'BINANCE', symbol: 'ETHUSDT' }, '1m')).toBeNull();
    expect(cache.latest(S, '5m')?.close).toBe('9');
    cache.clear();
    expect(cache.coveredFromUs(S, '1m')).toBeNull();
  });
});
