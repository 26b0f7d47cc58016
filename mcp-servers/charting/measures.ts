/**
 * The numbers a drawing shows beside its shape — Fibonacci level prices, a position's
 * risk/reward, a range's change — computed once for the PNG renderer, the web chart and the
 * workspace brief (browser-safe, no imports beyond the catalogue's types).
 */
import { DEFAULT_FIB_LEVELS, type Drawing } from './catalogue.ts';

type Of<T extends Drawing['type']> = Extract<Drawing, { type: T }>;

/**
 * Price of each retracement level of a swing from `from` to `to`: level 0 is the swing's end
 * (`to`), level 1 its start (`from`), 0.618 is 61.8% of the way back.
 */
export function fibLevels(d: Of<'fib'>): { level: number; price: number }[] {
  const span = d.to.price - d.from.price;
  return (d.levels ?? DEFAULT_FIB_LEVELS).map((level) => ({ level, price: d.to.price - level * span }));
}

/** Reward per unit of risk of a planned trade, and both distances as a % of the entry. */
export function positionStats(d: Of<'position'>): { rr: number; rewardPct: number; riskPct: number } {
  const entry = d.entry.price;
  const reward = Math.abs(d.target - entry);
  const risk = Math.abs(entry - d.stop);
  return {
    rr: risk === 0 ? Number.POSITIVE_INFINITY : reward / risk,
    rewardPct: (reward / entry) * 100,
    riskPct: (risk / entry) * 100,
  };
}

/** Change from `from` to `to` in price and in % of `from`. */
export function rangeStats(d: Of<'range'>): { change: number; pct: number } {
  const change = d.to.price - d.from.price;
  return { change, pct: d.from.price === 0 ? 0 : (change / d.from.price) * 100 };
}

/** `+1.23%` / `-0.40%`. */
export const signedPct = (pct: number): string => `${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%`;

/** `+750.0` / `-12.5` with `decimals` places (at least one). */
export const signedPrice = (v: number, decimals: number): string =>
  `${v >= 0 ? '+' : ''}${v.toFixed(Math.max(1, decimals))}`;

/** `2.50` or `∞` (no risk). */
export const formatRr = (rr: number): string => (Number.isFinite(rr) ? rr.toFixed(2) : '∞');
