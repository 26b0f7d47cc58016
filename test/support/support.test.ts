import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../core/seeded-random.ts';
import { RECORDED_DATA_DIR, RecordedDataMissing, recordedData, testRandom, until } from './index.ts';

describe('until', () => {
  it('resolves once the condition holds', async () => {
    let calls = 0;
    await until(() => ++calls === 3, 'the third call', { intervalMs: 1 });
    expect(calls).toBe(3);
  });

  it('names what it waited for when it times out', async () => {
    let n = 0;
    await expect(
      until(
        () => false,
        () => `n to reach 5 (it is ${++n})`,
        { timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow(/^timed out after 30 ms waiting for n to reach 5 \(it is \d+\)$/);
  });

  it('keeps polling in real time under fake timers', async () => {
    vi.useFakeTimers();
    try {
      let fired = false;
      setTimeout(() => {
        fired = true;
      }, 60_000);
      let looks = 0;
      await until(() => ++looks === 3, 'three looks', { intervalMs: 1 });
      expect(vi.getTimerCount()).toBe(1);
      expect(fired).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('throws the condition’s own error at once', async () => {
    const boom = new Error('boom');
    await expect(
      until(
        () => {
          throw boom;
        },
        'never',
        { timeoutMs: 60_000 },
      ),
    ).rejects.toBe(boom);
  });
});

describe('recordedData', () => {
  it('resolves ../shared/data beside the repository root', () => {
    expect(RECORDED_DATA_DIR).toBe(path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data'));
    const file = recordedData('PROVENANCE.md');
    expect(file).toBe(path.join(RECORDED_DATA_DIR, 'PROVENANCE.md'));
    expect(existsSync(file)).toBe(true);
  });

  it('names the missing path', () => {
    const missing = path.join(RECORDED_DATA_DIR, 'trades', 'no-such-file.csv');
    expect(() => recordedData('trades', 'no-such-file.csv')).toThrow(RecordedDataMissing);
    expect(() => recordedData('trades', 'no-such-file.csv')).toThrow(missing);
  });
});

describe('testRandom', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('replays QF_TEST_SEED with the product PRNG and prints the seed', () => {
    vi.stubEnv('QF_TEST_SEED', '1234');
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const random = testRandom('replay');
    const reference = seededRandom(1234);
    expect(random.seed).toBe(1234);
    expect([random.next(), random.next(), random.next()]).toEqual([reference(), reference(), reference()]);
    expect(info).toHaveBeenCalledWith('replay: random seed 1234 (rerun with QF_TEST_SEED=1234)');
  });

  it('picks and prints a seed when none is given; int stays in range', () => {
    vi.stubEnv('QF_TEST_SEED', '');
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const random = testRandom('fresh');
    expect(info).toHaveBeenCalledWith(
      `fresh: random seed ${random.seed} (rerun with QF_TEST_SEED=${random.seed})`,
    );
    for (let i = 0; i < 1000; i++) {
      const v = random.int(3, 7);
      expect(Number.isInteger(v) && v >= 3 && v < 7).toBe(true);
    }
  });

  it('refuses a seed that is not a 32-bit unsigned integer', () => {
    vi.stubEnv('QF_TEST_SEED', '1.5');
    expect(() => testRandom('bad')).toThrow('QF_TEST_SEED=1.5 is not an integer in [0, 2^32)');
  });
});
