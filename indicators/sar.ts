import { nanArray } from './kernels/series.ts';

/**
 * Parabolic SAR (TA-Lib SAR). The first value is at index 1; the initial direction is
 * short when bar 1 has a positive -DM (low fell more than high rose), else long, and
 * the initial SAR is the previous bar's high (short) or low (long). On a reversal the
 * SAR jumps to the extreme point, clamped by the last two bars' range.
 */
export function sar(high: Float64Array, low: Float64Array, acceleration = 0.02, maximum = 0.2): Float64Array {
  const n = high.length;
  const out = nanArray(n);
  if (n < 2) return out;
  // TA-Lib caps the step itself (not just the starting factor) at the maximum
  const step = acceleration > maximum ? maximum : acceleration;
  let af = step;
  const diffP = high[1]! - high[0]!;
  const diffM = low[0]! - low[1]!;
  let isLong = !(diffM > 0 && diffP < diffM);
  let ep: number;
  let value: number;
  if (isLong) {
    ep = high[1]!;
    value = low[0]!;
  } else {
    ep = low[1]!;
    value = high[0]!;
  }
  let newLow = low[1]!;
  let newHigh = high[1]!;
  for (let today = 1; today < n; today++) {
    const prevLow = newLow;
    const prevHigh = newHigh;
    newLow = low[today]!;
    newHigh = high[today]!;
    if (isLong) {
      if (newLow <= value) {
        isLong = false;
        value = ep;
        if (value < prevHigh) value = prevHigh;
        if (value < newHigh) value = newHigh;
        out[today] = value;
        af = step;
        ep = newLow;
        value = value + af * (ep - value);
        if (value < prevHigh) value = prevHigh;
        if (value < newHigh) value = newHigh;
      } else {
        out[today] = value;
        if (newHigh > ep) {
          ep = newHigh;
          af += step;
          if (af > maximum) af = maximum;
        }
        value = value + af * (ep - value);
        if (value > prevLow) value = prevLow;
        if (value > newLow) value = newLow;
      }
    } else if (newHigh >= value) {
      isLong = true;
      value = ep;
      if (value > prevLow) value = prevLow;
      if (value > newLow) value = newLow;
      out[today] = value;
      af = step;
      ep = newHigh;
      value = value + af * (ep - value);
      if (value > prevLow) value = prevLow;
      if (value > newLow) value = newLow;
    } else {
      out[today] = value;
      if (newLow < ep) {
        ep = newLow;
        af += step;
        if (af > maximum) af = maximum;
      }
      value = value + af * (ep - value);
      if (value < prevHigh) value = prevHigh;
      if (value < newHigh) value = newHigh;
    }
  }
  return out;
}
