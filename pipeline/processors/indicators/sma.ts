/**
 * Simple moving average of closes over N final bars: an exact bigint ring and running
 * sum; the value is sum / N rounded half-even at 18 decimals (exact for N = 5, 20).
 * Emits from the N-th bar on.
 */
import { divDecimalByInt } from '../../../core/decimal/index.ts';
import type { IndicatorSpec, StreamingIndicator } from './types.ts';

/** Builds an SMA(period) indicator named `ma<period>`. */
export function createSma(spec: IndicatorSpec): StreamingIndicator {
  const n = spec.period;
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    throw new RangeError(`sma period must be an integer in 1..10000, got ${n}`);
  }
  let ring: bigint[] = [];
  let next = 0;
  let sum = 0n;
  return {
    name: `ma${n}`,
    seed: n,
    update(bar) {
      if (ring.length < n) ring.push(bar.close);
      else {
        sum -= ring[next]!;
        ring[next] = bar.close;
        next = (next + 1) % n;
      }
      sum += bar.close;
      return ring.length < n ? undefined : divDecimalByInt(sum, n);
    },
    write(w) {
      // Oldest first, so a reader rebuilds the same ring and sum.
      w.uint(ring.length);
      for (let i = 0; i < ring.length; i++) w.bigint(ring[(next + i) % ring.length]!);
    },
    read(r) {
      const m = r.uint();
      ring = [];
      sum = 0n;
      next = 0;
      for (let i = 0; i < m; i++) {
        const v = r.bigint();
        ring.push(v);
        sum += v;
      }
    },
  };
}
