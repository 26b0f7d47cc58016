/**
 * Where an indicator's output columns go on a chart, for the PNG renderer and the browser view
 * alike: an overlay's columns become lines on the price pane (supertrend's ±1 `direction` is
 * not a price and is left out), an oscillator gets its own pane with its columns (a `hist`
 * column as a histogram) and its overbought/oversold levels. Pure and browser-safe.
 */
import type { IndicatorInfo } from '../../indicators/index.ts';
import { ZONES } from '../indicators/presentation.ts';

/** Most series one oscillator pane shows. */
export const MAX_PANE_SERIES = 6;

export interface IndicatorLine<V> {
  readonly name: string;
  readonly column: string;
  readonly values: V;
  readonly kind: 'line' | 'histogram';
}

export interface IndicatorLayout<V> {
  /** `true`: the lines go on the price pane; `false`: into a pane of their own. */
  readonly overlay: boolean;
  /** The pane title (the indicator's label). */
  readonly title: string;
  readonly lines: readonly IndicatorLine<V>[];
  /** Horizontal levels of the pane (oscillators with zones), low first. */
  readonly levels: readonly number[];
}

/** The lines of one indicator, from its output columns (`label`: e.g. `RSI(14)`). */
export function layoutIndicator<V>(
  info: Pick<IndicatorInfo, 'name' | 'overlay'>,
  label: string,
  columns: Readonly<Record<string, V>>,
): IndicatorLayout<V> {
  if (info.overlay) {
    const shown = Object.entries(columns).filter(([column]) => column !== 'direction');
    return {
      overlay: true,
      title: label,
      lines: shown.map(([column, values]) => ({
        name: shown.length === 1 ? label : `${label} ${column}`,
        column,
        values,
        kind: 'line',
      })),
      levels: [],
    };
  }
  const zone = ZONES[info.name];
  return {
    overlay: false,
    title: label,
    lines: Object.entries(columns)
      .slice(0, MAX_PANE_SERIES)
      .map(([column, values]) => ({
        name: column,
        column,
        values,
        kind: column === 'hist' ? 'histogram' : 'line',
      })),
    levels: zone ? [zone.low, zone.high] : [],
  };
}
