import { isTaZero, nanArray } from './kernels/series.ts';
import { trueRangeOf } from './kernels/true-range.ts';

/** +DI, -DI and ADX with TA-Lib's seeds and warm-ups. */
export interface DirectionalResult {
  readonly plusDi: Float64Array;
  readonly minusDi: Float64Array;
  readonly adx: Float64Array;
}

/**
 * Wilder's directional movement system exactly as TA-Lib computes PLUS_DI, MINUS_DI and
 * ADX (unstable period 0):
 * - +DM/-DM/TR are summed raw over bars 1..period-1, then Wilder-smoothed
 *   (`s = s - s/period + x`) from bar `period`, where the DIs start;
 * - ADX is the mean of the first `period` DX values (bars period..2*period-1), then
 *   `adx = (adx*(period-1) + dx) / period`; first value at `2*period - 1`.
 * A bar's +DM counts when the up-move is positive and larger than the down-move, -DM
 * the reverse; ties give neither. DI is 0 when the smoothed TR is ~0; ADX keeps its
 * previous value when +DI + -DI is ~0.
 */
export function directionalMovement(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): DirectionalResult {
  const n = close.length;
  const plusDi = nanArray(n);
  const minusDi = nanArray(n);
  const adx = nanArray(n);
  if (period >= n) return { plusDi, minusDi, adx };
  let plusDm = 0;
  let minusDm = 0;
  let tr = 0;
  let sumDx = 0;
  let prevAdx = 0;
  const adxStart = 2 * period - 1;
  for (let today = 1; today < n; today++) {
    const diffP = high[today]! - high[today - 1]!;
    const diffM = low[today - 1]! - low[today]!;
    const range = trueRangeOf(high[today]!, low[today]!, close[today - 1]!);
    if (today >= period) {
      plusDm -= plusDm / period;
      minusDm -= minusDm / period;
      tr = tr - tr / period;
    }
    if (diffM > 0 && diffP < diffM) minusDm += diffM;
    else if (diffP > 0 && diffP > diffM) plusDm += diffP;
    tr += range;
    if (today < period) continue;
    let pdi = 0;
    let mdi = 0;
    let dx = Number.NaN;
    if (!isTaZero(tr)) {
      mdi = 100 * (minusDm / tr);
      pdi = 100 * (plusDm / tr);
      const total = mdi + pdi;
      if (!isTaZero(total)) dx = 100 * (Math.abs(mdi - pdi) / total);
    }
    plusDi[today] = pdi;
    minusDi[today] = mdi;
    if (today < adxStart) {
      if (!Number.isNaN(dx)) sumDx += dx;
    } else if (today === adxStart) {
      if (!Number.isNaN(dx)) sumDx += dx;
      prevAdx = sumDx / period;
      adx[today] = prevAdx;
    } else {
      if (!Number.isNaN(dx)) prevAdx = (prevAdx * (period - 1) + dx) / period;
      adx[today] = prevAdx;
    }
  }
  return { plusDi, minusDi, adx };
}
