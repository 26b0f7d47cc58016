import { randomInt } from 'node:crypto';
import { seededRandom } from '../../core/seeded-random.ts';

/** A reproducible random source for a test: the same seed gives the same sequence. */
export interface TestRandom {
  /** The seed; put it in assertion messages that depend on the draws. */
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max). */
  int(min: number, max: number): number;
}

/** Environment variable that fixes the seed of every `testRandom` (an integer in [0, 2^32)). */
export const SEED_VARIABLE = 'QF_TEST_SEED';

function seedFromEnvironment(): number | undefined {
  const text = process.env[SEED_VARIABLE]?.trim();
  if (text === undefined || text === '') return undefined;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new Error(`${SEED_VARIABLE}=${text} is not an integer in [0, 2^32)`);
  return seed;
}

/**
 * A seeded random source (core/seeded-random.ts, the PRNG the venue simulator uses) for the test
 * named `what`. The seed is QF_TEST_SEED when set, else a fresh one; either way it is printed
 * ("<what>: random seed 123 (rerun with QF_TEST_SEED=123)") so a failure can be replayed.
 */
export function testRandom(what: string): TestRandom {
  const seed = seedFromEnvironment() ?? randomInt(2 ** 32);
  console.info(`${what}: random seed ${seed} (rerun with ${SEED_VARIABLE}=${seed})`);
  const next = seededRandom(seed);
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min)),
  };
}
