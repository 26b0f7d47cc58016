import { rollingMax, rollingMin } from './kernels/rolling-extremes.ts';
import { nanArray } from './kernels/series.ts';

/** The five Ichimoku lines, aligned to the input bars. */
export interface IchimokuResult {
  readonly tenkan: Float64Array;
  readonly kijun: Float64Array;
  readonly senkouA: Float64Array;
  readonly senkouB: Float64Array;
  readonly chikou: Float64Array;
}

function midpoint(high: Float64Array, low: Float64Array, period: number): Float64Array {
  // reuse the rolling-max column for the result: one allocation fewer per line
  const out = rollingMax(high, period);
  const ll = rollingMin(low, period);
  for (let i = period - 1; i < high.length; i++) out[i] = (out[i]! + ll[i]!) / 2;
  return out;
}

/**
 * Ichimoku Kinko Hyo. tenkan/kijun = midpoint of the highest high and lowest low over
 * `tenkanPeriod`/`kijunPeriod`; senkou A = (tenkan + kijun)/2 and senkou B = the
 * `senkouPeriod` midpoint, both shown `displacement` bars AHEAD (so at bar i they hold
 * the value computed at bar i - displacement); chikou = the close shown `displacement`
 * bars BEHIND (at bar i it holds close[i + displacement], NaN for the last bars).
 * Outputs keep the input length, so the cloud projected past the last bar is not
 * returned. (TradingView's script shifts by displacement-1; pass 25 to match it.)
 */
export function ichimoku(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  tenkanPeriod = 9,
  kijunPeriod = 26,
  senkouPeriod = 52,
  displacement = 26,
): IchimokuResult {
  const n = close.length;
  const tenkan = midpoint(high, low, tenkanPeriod);
  const kijun = midpoint(high, low, kijunPeriod);
  const spanB = midpoint(high, low, senkouPeriod);
  const senkouA = nanArray(n);
  const senkouB = nanArray(n);
  const chikou = nanArray(n);
  for (let i = displacement; i < n; i++) {
    senkouA[i] = (tenkan[i - displacement]! + kijun[i - displacement]!) / 2;
    senkouB[i] = spanB[i - displacement]!;
  }
  for (let i = 0; i + displacement < n; i++) chikou[i] = close[i + displacement]!;
  return { tenkan, kijun, senkouA, senkouB, chikou };
}
