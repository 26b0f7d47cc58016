import { isZeroScaled, nanArray } from './kernels/series.ts';

/** On-balance volume (TA-Lib OBV): starts at volume[0], then ± volume on up/down closes. */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let acc = volume[0]!;
  let prev = close[0]!;
  for (let i = 0; i < n; i++) {
    const c = close[i]!;
    if (c > prev) acc += volume[i]!;
    else if (c < prev) acc -= volume[i]!;
    out[i] = acc;
    prev = c;
  }
  return out;
}

/** Chaikin accumulation/distribution line (TA-Lib AD); bars with high == low add nothing. */
export function ad(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc = addMoneyFlow(acc, high[i]!, low[i]!, close[i]!, volume[i]!);
    out[i] = acc;
  }
  return out;
}

function addMoneyFlow(acc: number, h: number, l: number, c: number, v: number): number {
  const range = h - l;
  return range > 0 ? acc + ((c - l - (h - c)) / range) * v : acc;
}

/**
 * Chaikin A/D oscillator (TA-Lib ADOSC): EMA(fast) - EMA(slow) of the A/D line, both
 * seeded with the first A/D value (not an SMA) and written `k*x + (1-k)*ema`. First value
 * at `max(fast, slow) - 1`.
 */
export function adosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  fastPeriod: number,
  slowPeriod: number,
): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  if (n === 0) return out;
  const start = Math.max(fastPeriod, slowPeriod) - 1;
  const fastK = 2 / (fastPeriod + 1);
  const slowK = 2 / (slowPeriod + 1);
  const fastRest = 1 - fastK;
  const slowRest = 1 - slowK;
  let acc = addMoneyFlow(0, high[0]!, low[0]!, close[0]!, volume[0]!);
  let fast = acc;
  let slow = acc;
  if (start === 0) out[0] = 0;
  for (let i = 1; i < n; i++) {
    acc = addMoneyFlow(acc, high[i]!, low[i]!, close[i]!, volume[i]!);
    fast = fastK * acc + fastRest * fast;
    slow = slowK * acc + slowRest * slow;
    if (i >= start) out[i] = fast - slow;
  }
  return out;
}

/**
 * Money flow index (TA-Lib MFI): typical-price money flow split into positive/negative
 * by the change of typical price, summed over `period` bars; 100 * pos / (pos + neg).
 * First value at `period`. As current TA-Lib (0.8) defines it:
 * - a change within 1e-14 of the two typical prices' size is no move (no flow), so
 *   (h+l+c)/3 of equal candles summed in another order is not a spurious up or down bar;
 * - a window that received no flow reads 0, detected by counting flowless bars (the
 *   running sums only hold rounding residue then), not by comparing the total to 1,
 *   which zeroed the index of any instrument quoted small enough;
 * - pos is clamped into [0, total] so drift cannot leave 0..100.
 */
export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period: number,
): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  if (period >= n) return out;
  const pos = new Float64Array(period);
  const neg = new Float64Array(period);
  let posSum = 0;
  let negSum = 0;
  let slot = 0;
  let flowless = 0;
  let prevTp = (high[0]! + low[0]! + close[0]!) / 3;
  for (let i = 1; i < n; i++) {
    if (i > period) {
      posSum -= pos[slot]!;
      negSum -= neg[slot]!;
    }
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    const change = tp - prevTp;
    const flow = isZeroScaled(change, Math.abs(tp) + Math.abs(prevTp)) ? 0 : tp * volume[i]!;
    prevTp = tp;
    const down = change < 0;
    pos[slot] = down ? 0 : flow;
    neg[slot] = down ? flow : 0;
    posSum += pos[slot]!;
    negSum += neg[slot]!;
    flowless = flow === 0 ? flowless + 1 : 0;
    if (flowless >= period) {
      posSum = 0;
      negSum = 0;
    }
    slot = (slot + 1) % period;
    if (i < period) continue;
    const total = posSum + negSum;
    out[i] = total <= 0 ? 0 : 100 * (Math.min(Math.max(posSum, 0), total) / total);
  }
  return out;
}

/**
 * Volume-weighted moving average (not in TA-Lib): sum(close*volume)/sum(volume) over
 * `period` bars, from window sums recomputed per bar (no drift). NaN when the window
 * has no volume. First value at `period - 1`.
 */
export function vwma(close: Float64Array, volume: Float64Array, period: number): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  for (let i = period - 1; i < n; i++) {
    let pv = 0;
    let v = 0;
    for (let j = i - period + 1; j <= i; j++) {
      pv += close[j]! * volume[j]!;
      v += volume[j]!;
    }
    if (v > 0) out[i] = pv / v;
  }
  return out;
}
