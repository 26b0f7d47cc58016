import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../core/errors.ts';
import { replay } from './pace.ts';

/** A fake clock: sleeping advances it, so the schedule is checked without real time. */
function fakeClock() {
  let t = 1000;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  };
}

const records = [
  { eventMs: 10_000, n: 1 },
  { eventMs: 10_000, n: 2 },
  { eventMs: null, n: 3 },
  { eventMs: 12_000, n: 4 },
  { eventMs: 20_000, n: 5 },
];

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('replay pacing', () => {
  it('waits venue-time gaps divided by speed, not for records without a time', async () => {
    const clock = fakeClock();
    const out = await all(replay(records, { speed: 4, now: clock.now, sleep: clock.sleep }));
    expect(out.map((r) => r.n)).toEqual([1, 2, 3, 4, 5]);
    expect(clock.waits).toEqual([500, 2000]);
  });

  it('uses timeUs of CSV records by default', async () => {
    const clock = fakeClock();
    const rows = [{ timeUs: 1_000_000 }, { timeUs: 3_000_000 }];
    await all(replay(rows, { speed: 1, now: clock.now, sleep: clock.sleep }));
    expect(clock.waits).toEqual([2000]);
  });

  it('never sleeps at max speed', async () => {
    const clock = fakeClock();
    const out = await all(replay(records, { speed: 'max', now: clock.now, sleep: clock.sleep }));
    expect(out).toHaveLength(5);
    expect(clock.waits).toEqual([]);
  });

  it('rejects a speed that is not positive or "max"', async () => {
    await expect(all(replay(records, { speed: 0 }))).rejects.toBeInstanceOf(InvalidInputError);
  });
});
