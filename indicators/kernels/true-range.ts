/**
 * True range of one bar given the previous close, computed in TA-Lib's order
 * (high-low, then |prevClose-high|, then |prevClose-low|, keeping the largest).
 */
export function trueRangeOf(high: number, low: number, prevClose: number): number {
  let range = high - low;
  const up = Math.abs(prevClose - high);
  if (up > range) range = up;
  const down = Math.abs(prevClose - low);
  if (down > range) range = down;
  return range;
}
