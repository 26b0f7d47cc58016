import { emaFrom } from './kernels/ema.ts';
import { rollingMax, rollingMin } from './kernels/rolling-extremes.ts';
import { nanArray } from './kernels/series.ts';
import { atr } from './volatility.ts';

/** A price channel: upper, middle and lower lines. */
export interface ChannelResult {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/**
 * Donchian channel: highest high and lowest low of the last `period` bars (current bar
 * included) and their midpoint. First value at `period - 1`.
 */
export function donchian(high: Float64Array, low: Float64Array, period = 20): ChannelResult {
  const upper = rollingMax(high, period);
  const lower = rollingMin(low, period);
  const middle = nanArray(high.length);
  for (let i = period - 1; i < high.length; i++) middle[i] = (upper[i]! + lower[i]!) / 2;
  return { upper, middle, lower };
}

/**
 * Keltner channel (the modern ATR form, TradingView's default): middle = EMA(close,
 * `period`) (TA-Lib seeding), bands = middle ± multiplier * ATR(`atrPeriod`) (TA-Lib
 * Wilder ATR). First value at max(period - 1, atrPeriod).
 */
export function keltner(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 20,
  atrPeriod = 10,
  multiplier = 2,
): ChannelResult {
  const n = close.length;
  const ema = emaFrom(close, period, 0);
  const range = atr(high, low, close, atrPeriod);
  const upper = nanArray(n);
  const middle = nanArray(n);
  const lower = nanArray(n);
  for (let i = Math.max(period - 1, atrPeriod); i < n; i++) {
    const m = ema[i]!;
    const width = multiplier * range[i]!;
    middle[i] = m;
    upper[i] = m + width;
    lower[i] = m - width;
  }
  return { upper, middle, lower };
}
