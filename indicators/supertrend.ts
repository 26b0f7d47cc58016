import { nanArray } from './kernels/series.ts';
import { atr } from './volatility.ts';

/** The Supertrend line and its direction (+1 up: line below price; -1 down: line above). */
export interface SupertrendResult {
  readonly supertrend: Float64Array;
  readonly direction: Float64Array;
}

/**
 * Supertrend as TradingView's `ta.supertrend` defines it, over TA-Lib's ATR (Wilder,
 * first value at `period`): bands hl2 ± multiplier*ATR; the lower band only rises
 * (and the upper only falls) while the previous close stays beyond it; the trend turns
 * up when the close crosses above the upper band and down when it crosses below the
 * lower band. The first defined bar starts in a downtrend (line = upper band), as TV does.
 */
export function supertrend(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 10,
  multiplier = 3,
): SupertrendResult {
  const n = close.length;
  const range = atr(high, low, close, period);
  const line = nanArray(n);
  const direction = nanArray(n);
  let upper = Number.NaN;
  let lower = Number.NaN;
  let dir = -1;
  for (let i = period; i < n; i++) {
    const mid = (high[i]! + low[i]!) / 2;
    let up = mid + multiplier * range[i]!;
    let dn = mid - multiplier * range[i]!;
    if (i === period) {
      dir = -1;
    } else {
      const pc = close[i - 1]!;
      if (!(up < upper || pc > upper)) up = upper;
      if (!(dn > lower || pc < lower)) dn = lower;
      const c = close[i]!;
      dir = dir === -1 ? (c > up ? 1 : -1) : c < dn ? -1 : 1;
    }
    upper = up;
    lower = dn;
    line[i] = dir === 1 ? lower : upper;
    direction[i] = dir;
  }
  return { supertrend: line, direction };
}
