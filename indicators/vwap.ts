import { nanArray } from './kernels/series.ts';

const US_PER_MINUTE = 60_000_000;

/**
 * Session-anchored volume-weighted average price: cumulative sum of typical price
 * (h+l+c)/3 times volume over cumulative volume, restarting at each session boundary.
 * Sessions are `sessionMinutes` long, aligned to the Unix epoch shifted by
 * `offsetMinutes` (1440/0 = daily UTC; 10080/5760 = weeks starting Monday 00:00 UTC).
 * `time` is epoch microseconds. NaN until the session has traded some volume.
 */
export function vwap(
  time: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  sessionMinutes = 1440,
  offsetMinutes = 0,
): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  const sessionUs = sessionMinutes * US_PER_MINUTE;
  const offsetUs = offsetMinutes * US_PER_MINUTE;
  let session = Number.NaN;
  let pv = 0;
  let vol = 0;
  for (let i = 0; i < n; i++) {
    const s = Math.floor((time[i]! - offsetUs) / sessionUs);
    if (s !== session) {
      session = s;
      pv = 0;
      vol = 0;
    }
    const v = volume[i]!;
    pv += ((high[i]! + low[i]! + close[i]!) / 3) * v;
    vol += v;
    if (vol > 0) out[i] = pv / vol;
  }
  return out;
}
