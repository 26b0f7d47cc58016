import { describe, expect, it } from 'vitest';
import {
  BUILT_PERIODS,
  bucketCount,
  bucketStartUs,
  bucketsBack,
  DERIVED_PERIODS,
  fixedSpan,
  nextBucket,
  PERIOD_US,
  PERIODS,
  type Period,
  parseBuiltPeriod,
  parsePeriod,
  servedPeriods,
} from './index.ts';

const us = (iso: string) => Date.parse(iso) * 1000;

describe('the period catalogue', () => {
  it('lists every accepted period once, shortest first, and derives the built and derived ones from it', () => {
    expect(PERIODS).toEqual([
      '1m',
      '3m',
      '5m',
      '15m',
      '30m',
      '1h',
      '2h',
      '4h',
      '6h',
      '8h',
      '12h',
      '1d',
      '3d',
      '1w',
      '1M',
    ]);
    expect(BUILT_PERIODS).toEqual(PERIODS.filter((p) => p !== '3d' && p !== '1M'));
    expect(DERIVED_PERIODS).toEqual(BUILT_PERIODS.slice(1));
    expect(Object.keys(PERIOD_US)).toEqual(PERIODS.filter((p) => p !== '1M'));
    const widths = Object.values(PERIOD_US);
    expect(widths).toEqual([...widths].sort((a, b) => a - b));
  });

  it('keeps of a venue the intervals it accepts, in catalogue order', () => {
    expect(servedPeriods(['1M', '1s', '1w', '1m', '2w'])).toEqual(['1m', '1w', '1M']);
    expect(servedPeriods([])).toEqual([]);
  });

  it('names the valid periods when given a bad one', () => {
    expect(parsePeriod('1h')).toBe('1h');
    expect(parsePeriod('1M')).toBe('1M');
    expect(() => parsePeriod('90s')).toThrow(/period: unknown period "90s"; valid: 1m, 3m, 5m, .*, 1w, 1M$/);
    // 1M is a month, 1m a minute: names are case-sensitive.
    expect(() => parsePeriod('1mo')).toThrow(/valid:/);
    expect(parseBuiltPeriod('1w')).toBe('1w');
    expect(() => parseBuiltPeriod('1M')).toThrow(/not built by the processors; valid: 1m, .*, 1d, 1w$/);
  });

  it('gives the span of fixed periods and none for the calendar month', () => {
    expect(fixedSpan('1h')).toEqual({ widthUs: 3_600_000_000, offsetUs: 0 });
    expect(fixedSpan('1w')).toEqual({ widthUs: 7 * 86_400_000_000, offsetUs: 4 * 86_400_000_000 });
    expect(fixedSpan('1M')).toBeUndefined();
  });
});

describe('bucketStartUs', () => {
  // [period, time, bucket start, next bucket start]
  const table: [Period, string, string, string][] = [
    ['1m', '2024-08-08T23:54:15.342Z', '2024-08-08T23:54:00Z', '2024-08-08T23:55:00Z'],
    ['1m', '2024-08-08T23:54:00Z', '2024-08-08T23:54:00Z', '2024-08-08T23:55:00Z'],
    ['3m', '2024-08-08T23:54:15Z', '2024-08-08T23:54:00Z', '2024-08-08T23:57:00Z'],
    ['15m', '2024-08-08T23:59:59.999Z', '2024-08-08T23:45:00Z', '2024-08-09T00:00:00Z'],
    ['4h', '2024-08-08T23:54:15Z', '2024-08-08T20:00:00Z', '2024-08-09T00:00:00Z'],
    ['12h', '2024-08-08T11:59:59Z', '2024-08-08T00:00:00Z', '2024-08-08T12:00:00Z'],
    ['1d', '2024-08-08T23:54:15Z', '2024-08-08T00:00:00Z', '2024-08-09T00:00:00Z'],
    // 3d buckets count from the epoch: 1970-01-01 + 3n days.
    ['3d', '2024-08-08T23:54:15Z', '2024-08-06T00:00:00Z', '2024-08-09T00:00:00Z'],
    // Weeks start on Monday (2024-08-08 is a Thursday; 2024-08-05 a Monday).
    ['1w', '2024-08-08T23:54:15Z', '2024-08-05T00:00:00Z', '2024-08-12T00:00:00Z'],
    ['1w', '2024-08-05T00:00:00Z', '2024-08-05T00:00:00Z', '2024-08-12T00:00:00Z'],
    ['1w', '2024-08-04T23:59:59.999Z', '2024-07-29T00:00:00Z', '2024-08-05T00:00:00Z'],
    ['1w', '2025-01-01T00:00:00Z', '2024-12-30T00:00:00Z', '2025-01-06T00:00:00Z'],
    // Calendar months: 31, 30, 29 (leap), 28 days; the year turns over.
    ['1M', '2024-08-08T23:54:15Z', '2024-08-01T00:00:00Z', '2024-09-01T00:00:00Z'],
    ['1M', '2024-08-01T00:00:00Z', '2024-08-01T00:00:00Z', '2024-09-01T00:00:00Z'],
    ['1M', '2024-07-31T23:59:59.999Z', '2024-07-01T00:00:00Z', '2024-08-01T00:00:00Z'],
    ['1M', '2024-04-30T12:00:00Z', '2024-04-01T00:00:00Z', '2024-05-01T00:00:00Z'],
    ['1M', '2024-02-29T23:59:59Z', '2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z'],
    ['1M', '2023-02-28T23:59:59Z', '2023-02-01T00:00:00Z', '2023-03-01T00:00:00Z'],
    ['1M', '2000-02-29T00:00:00Z', '2000-02-01T00:00:00Z', '2000-03-01T00:00:00Z'],
    ['1M', '2024-12-31T23:59:59.999Z', '2024-12-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['1M', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'],
    // Leap day in daily and weekly buckets.
    ['1d', '2024-02-29T13:00:00Z', '2024-02-29T00:00:00Z', '2024-03-01T00:00:00Z'],
    ['1w', '2024-02-29T13:00:00Z', '2024-02-26T00:00:00Z', '2024-03-04T00:00:00Z'],
  ];

  it.each(table)('%s of %s starts at %s, the next at %s', (period, time, start, next) => {
    expect(bucketStartUs(period, us(time))).toBe(us(start));
    expect(nextBucket(period, us(start))).toBe(us(next));
    // A bucket's start is in its own bucket, its next start in the next one.
    expect(bucketStartUs(period, us(start))).toBe(us(start));
    expect(bucketStartUs(period, us(next) - 1)).toBe(us(start));
  });

  it('counts months by the calendar, never as 31 days', () => {
    const feb = nextBucket('1M', us('2024-02-01T00:00:00Z')) - us('2024-02-01T00:00:00Z');
    expect(feb).toBe(29 * 86_400_000_000);
    expect(bucketsBack('1M', us('2024-01-01T00:00:00Z'), 2)).toBe(us('2023-11-01T00:00:00Z'));
    expect(bucketsBack('1M', us('2024-03-01T00:00:00Z'), 13)).toBe(us('2023-02-01T00:00:00Z'));
    expect(bucketsBack('1h', us('2024-01-01T00:00:00Z'), 2)).toBe(us('2023-12-31T22:00:00Z'));
    expect(bucketCount('1M', us('2024-01-31T00:00:00Z'), us('2024-03-01T00:00:00Z'))).toBe(2);
    expect(bucketCount('1M', us('2024-01-31T00:00:00Z'), us('2024-03-01T00:00:01Z'))).toBe(3);
    expect(bucketCount('1M', us('2023-01-01T00:00:00Z'), us('2025-01-01T00:00:00Z'))).toBe(24);
  });

  it('counts the buckets a range touches', () => {
    expect(bucketCount('1m', us('2024-08-08T00:00:00Z'), us('2024-08-08T01:00:00Z'))).toBe(60);
    expect(bucketCount('1h', us('2024-08-08T00:30:00Z'), us('2024-08-08T01:00:01Z'))).toBe(2);
    expect(bucketCount('1w', us('2024-08-04T00:00:00Z'), us('2024-08-06T00:00:00Z'))).toBe(2);
    expect(bucketCount('1d', us('2024-08-08T00:00:00Z'), us('2024-08-08T00:00:00Z'))).toBe(0);
  });
});
