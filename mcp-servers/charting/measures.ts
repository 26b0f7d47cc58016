/**
 * The numbers a drawing shows beside its lines: Fibonacci level prices, a position's risk and
 * reward, a price range's change. Shared by the chart surfaces (browser view, PNG). Pure.
 */
import { DEFAULT_FIB_LEVELS } from './catalogue.ts';

/** One Fibonacci level: the ratio and its price. */
export interface FibLevel {
  readonly level: number;
  readonly price: number;
}

/**
 * Retracement levels of a swing `from` → `to`: level 0 at the swing's end (`to`), 1 at its
 * start (`from`), 0.618 at 61.8 % of the way back (TradingView's convention).
 */
export function fibLevels(
  fromPrice: number,
  toPrice: number,
  levels: readonly number[] = DEFAULT_FIB_LEVELS,
): FibLevel[] {
  return levels.map((level) => ({ level, price: toPrice - (toPrice - fromPrice) * level }));
}

/** Risk and reward of a long or short position. */
export interface PositionMeasures {
  /** Price distance to the stop (positive when the stop is on the losing side). */
  readonly risk: number;
  /** Price distance to the target (positive when the target is on the winning side). */
  readonly reward: number;
  readonly riskPct: number;
  readonly rewardPct: number;
  /** reward / risk; NaN when the risk is not positive. */
  readonly ratio: number;
}

export function positionMeasures(
  side: 'long' | 'short',
  entry: number,
  stop: number,
  target: number,
): PositionMeasures {
  const sign = side === 'long' ? 1 : -1;
  const risk = sign * (entry - stop);
  const reward = sign * (target - entry);
  return {
    risk,
    reward,
    riskPct: (risk / entry) * 100,
    rewardPct: (reward / entry) * 100,
    ratio: risk > 0 ? reward / risk : Number.NaN,
  };
}

/** Change from one price to another, absolute and in % of the first. */
export function priceChange(from: number, to: number): { change: number; pct: number } {
  const change = to - from;
  return { change, pct: from === 0 ? Number.NaN : (change / from) * 100 };
}

/** `+1.23%` / `-0.40%`. */
export const signedPct = (pct: number): string => `${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%`;

/** `+750.0` / `-12.5` with `decimals` places (at least one). */
export const signedPrice = (v: number, decimals: number): string =>
  `${v >= 0 ? '+' : ''}${v.toFixed(Math.max(1, decimals))}`;

/** A reward/risk ratio as `2.50`, or `n/a` when the stop is not on the losing side. */
export const formatRr = (ratio: number): string => (Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a');
