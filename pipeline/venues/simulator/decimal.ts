/**
 * The little fixed-point arithmetic the simulator needs to print Binance-style numbers:
 * decimal strings to scaled bigints and back with a fixed number of decimals, as Binance
 * prints them (`"61837.63000000"`). Exact; no binary floating point.
 */

/** Digits after the point in a decimal string (`"0.00100"` -> 5). */
export function scaleOf(text: string): number {
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** `"61837.63"` at scale 8 -> 6183763000000n. The string's own scale must not exceed `scale`. */
export function toScaled(text: string, scale: number): bigint {
  const dot = text.indexOf('.');
  if (dot === -1) return BigInt(text) * 10n ** BigInt(scale);
  const frac = text.slice(dot + 1);
  if (frac.length > scale) throw new RangeError(`${text} has more than ${scale} decimals`);
  return BigInt(text.slice(0, dot) + frac.padEnd(scale, '0'));
}

/**
 * Formats a scaled non-negative value with exactly `outScale` decimals, rounding half up
 * when decimals are dropped.
 */
export function formatScaled(value: bigint, scale: number, outScale = scale): string {
  let v = value;
  if (outScale < scale) {
    const div = 10n ** BigInt(scale - outScale);
    v = (v + div / 2n) / div;
  } else if (outScale > scale) {
    v *= 10n ** BigInt(outScale - scale);
  }
  if (outScale === 0) return v.toString();
  const digits = v.toString().padStart(outScale + 1, '0');
  return `${digits.slice(0, -outScale)}.${digits.slice(-outScale)}`;
}

/** Sum of decimal strings, printed with the largest scale among them. */
export function sumDecimals(values: readonly string[]): string {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, scaleOf(v));
  let sum = 0n;
  for (const v of values) sum += toScaled(v, scale);
  return formatScaled(sum, scale);
}
