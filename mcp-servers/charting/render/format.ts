/** Formats an epoch-µs bar time for the time axis, coarser when the chart spans more. */
export function formatBarTime(timeUs: number, spanUs: number): string {
  const iso = new Date(Math.floor(timeUs / 1000)).toISOString();
  const minute = iso.slice(11, 16);
  const DAY_US = 86_400_000_000;
  if (spanUs >= 90 * DAY_US) return iso.slice(0, 10);
  return `${iso.slice(5, 10)} ${minute}`;
}

/** Decimal places that show a price to its tick (at least 2, at most 8). */
export function priceDecimals(values: readonly number[]): number {
  let max = 0;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  if (max >= 1000) return 2;
  if (max >= 1) return 4;
  if (max === 0) return 2;
  return Math.min(8, Math.max(2, 2 - Math.floor(Math.log10(max)) + 3));
}

/** Compact volume label: 1.2K, 3.4M. */
export function formatVolume(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(1)}B`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)}K`;
  return v.toFixed(a >= 10 ? 0 : 2);
}
