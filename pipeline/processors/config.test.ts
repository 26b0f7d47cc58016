import { describe, expect, it } from 'vitest';
import { processorsConfigSchema } from './config.ts';

describe('processors config', () => {
  it('fills every default', () => {
    const c = processorsConfigSchema.parse({});
    expect(c.dedup.windowIds).toBe(65_536);
    expect(c.bars.graceMs).toBe(10_000);
    expect(c.bars.periods).toContain('1w');
    expect(c.indicators).toEqual([
      { kind: 'sma', period: 5 },
      { kind: 'sma', period: 20 },
    ]);
  });

  it('names what is wrong', () => {
    const r = processorsConfigSchema.safeParse({ dedup: { windowIds: 1000 }, bars: { periods: ['2m'] } });
    expect(r.success).toBe(false);
    const text = JSON.stringify(r.error?.issues);
    expect(text).toMatch(/power of two/);
    expect(text).toMatch(/periods/);
  });
});
