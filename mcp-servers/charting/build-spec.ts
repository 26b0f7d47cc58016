/**
 * Bars + indicators + drawings → the renderer's chart spec. Overlay indicators go on the price
 * pane, the others into sub-panes (with their overbought/oversold levels). Pure.
 */
import type { StoredBar } from '../../pipeline/store/index.ts';
import { barColumns, invalidArgument } from '../common/index.ts';
import { computeOnBars, type IndicatorRequest, ZONES } from '../indicators/index.ts';
import type { ChartSpecInput, Drawing } from './render/index.ts';

/** Most overlay lines and sub-panes the renderer draws. */
export const MAX_OVERLAYS = 8;
export const MAX_PANES = 3;

/** Inputs of {@link buildChartSpec}. */
export interface BuildChartSpecInput {
  readonly title: string;
  readonly bars: readonly StoredBar[];
  /** Leading bars loaded only for indicator warm-up (not drawn). */
  readonly warmup: number;
  readonly indicators: readonly IndicatorRequest[];
  readonly drawings: readonly Drawing[];
  readonly theme: 'light' | 'dark';
  readonly width: number;
  readonly height: number;
  readonly showVolume: boolean;
}

const cut = (s: string) => (s.length > 40 ? s.slice(0, 40) : s);

/** The chart spec; throws naming `indicators` when there are more lines or panes than fit. */
export function buildChartSpec(o: BuildChartSpecInput): ChartSpecInput {
  const shown = o.bars.slice(o.warmup);
  const overlays: { name: string; values: number[] }[] = [];
  const panes: {
    title: string;
    series: { name: string; values: number[]; kind: 'line' | 'histogram' }[];
    levels: number[];
  }[] = [];
  for (const req of o.indicators) {
    const columns = computeOnBars(req, o.bars, o.warmup);
    if (req.info.overlay) {
      for (const [name, values] of Object.entries(columns)) {
        if (name === 'direction') continue; // supertrend's ±1 is not a price
        const single = Object.keys(columns).filter((k) => k !== 'direction').length === 1;
        overlays.push({ name: cut(single ? req.label : `${req.label} ${name}`), values: Array.from(values) });
      }
    } else {
      const zone = ZONES[req.info.name];
      panes.push({
        title: cut(req.label),
        series: Object.entries(columns)
          .slice(0, 6)
          .map(([name, values]) => ({
            name: cut(name),
            values: Array.from(values),
            kind: name === 'hist' ? ('histogram' as const) : ('line' as const),
          })),
        levels: zone ? [zone.low, zone.high] : [],
      });
    }
  }
  if (overlays.length > MAX_OVERLAYS) {
    invalidArgument(
      'indicators',
      `${overlays.length} overlay lines do not fit; the chart draws at most ${MAX_OVERLAYS}`,
    );
  }
  if (panes.length > MAX_PANES) {
    invalidArgument(
      'indicators',
      `${panes.length} oscillator panes do not fit; the chart has at most ${MAX_PANES}`,
    );
  }
  const c = barColumns(shown);
  return {
    title: o.title,
    width: o.width,
    height: o.height,
    theme: o.theme,
    bars: c,
    showVolume: o.showVolume,
    overlays,
    panes,
    drawings: [...o.drawings],
  };
}
