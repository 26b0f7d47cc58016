import { describe, expect, it } from 'vitest';
import { alignDown, bucketsBack, nextBucket, parsePeriod } from './periods.ts';

const us = (iso: string) => Date.parse(iso) * 1000;

describe('periods', () => {
  it('aligns buckets to UTC, weeks to Monday and months to the 1st', () => {
    const t = us('2024-08-08T23:54:15.342Z'); // a Thursday
    expect(alignDown('1m', t)).toBe(us('2024-08-08T23:54:00Z'));
    expect(alignDown('4h', t)).toBe(us('2024-08-08T20:00:00Z'));
    expect(alignDown('1d', t)).toBe(us('2024-08-08T00:00:00Z'));
    expect(alignDown('1w', t)).toBe(us('2024-08-05T00:00:00Z'));
    expect(alignDown('1M', t)).toBe(us('2024-08-01T00:00:00Z'));
    expect(nextBucket('1M', us('2024-12-01T00:00:00Z'))).toBe(us('2025-01-01T00:00:00Z'));
    expect(bucketsBack('1M', us('2024-01-01T00:00:00Z'), 2)).toBe(us('2023-11-01T00:00:00Z'));
    expect(bucketsBack('1h', us('2024-01-01T00:00:00Z'), 2)).toBe(us('2023-12-31T22:00:00Z'));
  });

  it('names the valid periods when given a bad one', () => {
    expect(parsePeriod('1h')).toBe('1h');
    expect(() => parsePeriod('90s')).toThrow(/valid: 1m, 3m, 5m/);
  });
});
