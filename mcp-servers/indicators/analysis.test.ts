import { describe, expect, it } from 'vitest';
import { describeIndicator, findCrosses } from './analysis.ts';

const T0 = Date.parse('2024-01-01T00:00:00Z') * 1000;
const times = (n: number) => Array.from({ length: n }, (_, i) => T0 + i * 60_000_000);

describe('indicator analysis', () => {
  it('finds crosses in both directions within the lookback, skipping undefined values', () => {
    const a = [Number.NaN, 1, 3, 3, 1, 2];
    const b = [2, 2, 2, 2, 2, 2];
    const c = findCrosses(a, b, times(6), ['fast', 'slow'], 10);
    expect(c.map((x) => [x.index, x.text])).toEqual([
      [2, 'fast crossed above slow'],
      [4, 'fast crossed below slow'],
    ]);
    expect(findCrosses(a, b, times(6), ['fast', 'slow'], 2)).toHaveLength(1);
  });

  it('names the zone of an oscillator and how long it has been there', () => {
    const rsi = Float64Array.from([50, 60, 72, 75, 71]);
    const text = describeIndicator({
      name: 'rsi',
      label: 'RSI(14)',
      overlay: false,
      columns: { rsi },
      close: [1, 1, 1, 1, 1],
      times: times(5),
    });
    expect(text).toContain('rsi is overbought (levels 70/30) for the last 3 bar(s).');
    expect(text).toContain('rsi crossed above 70 at 2024-01-01T00:02:00Z');
  });

  it('says there is no value yet when the bars do not cover the warm-up', () => {
    const nan = Float64Array.from([Number.NaN, Number.NaN]);
    const text = describeIndicator({
      name: 'stoch',
      label: 'STOCH',
      overlay: false,
      columns: { slowk: nan, slowd: nan },
      close: [1, 2],
      times: times(2),
    });
    expect(text).toContain('No value yet: 2 bar(s) are fewer than the warm-up');
    expect(text).not.toContain('neutral');
  });
});
