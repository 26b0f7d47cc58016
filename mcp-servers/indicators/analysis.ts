/**
 * What an agent wants to know about an indicator besides its numbers: last values, recent
 * crosses (line pairs, price vs overlay) and overbought/oversold zones where they apply. Pure.
 */
import { formatNumber, isoOfUs } from '../common/index.ts';
import { ZONES } from './presentation.ts';

/** Pairs of output columns whose crossing is a signal ([fast, slow]). */
const PAIRS: Readonly<Record<string, readonly [string, string][]>> = {
  macd: [['macd', 'signal']],
  stoch: [['slowk', 'slowd']],
  aroon: [['up', 'down']],
  dmi: [['plus_di', 'minus_di']],
  ichimoku: [['tenkan', 'kijun']],
};

/** A cross: `a` went above (`up`) or below `b` at bar `index`. */
export interface Cross {
  readonly index: number;
  readonly timeUs: number;
  readonly text: string;
}

/** Crosses of series `a` over `b` among the last `lookback` bars, newest last. */
export function findCrosses(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  times: ArrayLike<number>,
  names: [string, string],
  lookback: number,
): Cross[] {
  const out: Cross[] = [];
  const start = Math.max(1, a.length - lookback);
  for (let i = start; i < a.length; i++) {
    const d0 = a[i - 1]! - b[i - 1]!;
    const d1 = a[i]! - b[i]!;
    if (!Number.isFinite(d0) || !Number.isFinite(d1)) continue;
    if (d0 <= 0 && d1 > 0)
      out.push({ index: i, timeUs: times[i]!, text: `${names[0]} crossed above ${names[1]}` });
    else if (d0 >= 0 && d1 < 0)
      out.push({ index: i, timeUs: times[i]!, text: `${names[0]} crossed below ${names[1]}` });
  }
  return out;
}

/** Inputs of {@link describeIndicator}. */
export interface DescribeInput {
  readonly name: string;
  readonly label: string;
  readonly overlay: boolean;
  readonly columns: Record<string, ArrayLike<number>>;
  readonly close: ArrayLike<number>;
  readonly times: ArrayLike<number>;
  /** Bars searched for crosses. */
  readonly lookback?: number;
}

/** One paragraph: last values, zone, recent crosses. */
export function describeIndicator(o: DescribeInput): string {
  const n = o.times.length;
  const lookback = o.lookback ?? 50;
  const last = Object.entries(o.columns)
    .map(([k, v]) => `${k} ${formatNumber(v[n - 1] ?? Number.NaN, 6) || 'n/a'}`)
    .join(', ');
  const parts = [`Last (${isoOfUs(o.times[n - 1] ?? 0)}): ${last}.`];
  const zone = ZONES[o.name];
  const zc = zone && o.columns[zone.column];
  const lastZone = zc ? zc[n - 1]! : Number.NaN;
  if (zone && zc && Number.isFinite(lastZone)) {
    const side = (x: number) => (x >= zone.high ? 1 : x <= zone.low ? -1 : 0);
    const state = ['oversold', 'neutral', 'overbought'][side(lastZone) + 1];
    let since = 0;
    for (let i = n - 1; i >= 0 && Number.isFinite(zc[i]!) && side(zc[i]!) === side(lastZone); i--) since++;
    parts.push(`${zone.column} is ${state} (levels ${zone.high}/${zone.low}) for the last ${since} bar(s).`);
  }
  const defined = Object.values(o.columns).some((v) => Number.isFinite(v[n - 1] ?? Number.NaN));
  if (!defined) {
    parts.push(
      `No value yet: ${n} bar(s) are fewer than the warm-up this indicator needs; ask for more bars or an earlier range.`,
    );
  }
  const crosses: Cross[] = [];
  for (const [a, b] of PAIRS[o.name] ?? []) {
    if (o.columns[a] && o.columns[b])
      crosses.push(...findCrosses(o.columns[a]!, o.columns[b]!, o.times, [a, b], lookback));
  }
  if (o.overlay) {
    const main = Object.entries(o.columns).find(([k]) => k !== 'direction' && k !== 'upper' && k !== 'lower');
    if (main) crosses.push(...findCrosses(o.close, main[1], o.times, ['close', `${o.label}`], lookback));
  }
  if (zone && zc) {
    const hi = Array.from({ length: n }, () => zone.high);
    const lo = Array.from({ length: n }, () => zone.low);
    crosses.push(...findCrosses(zc, hi, o.times, [zone.column, String(zone.high)], lookback));
    crosses.push(...findCrosses(zc, lo, o.times, [zone.column, String(zone.low)], lookback));
  }
  crosses.sort((x, y) => x.index - y.index);
  if (crosses.length === 0) parts.push(`No crosses in the last ${Math.min(lookback, n)} bars.`);
  else {
    const recent = crosses.slice(-5).map((c) => `${c.text} at ${isoOfUs(c.timeUs)}`);
    parts.push(
      `Crosses in the last ${Math.min(lookback, n)} bars (${crosses.length}): ${recent.join('; ')}.`,
    );
  }
  return parts.join(' ');
}
