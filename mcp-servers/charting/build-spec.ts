/**
 * Bars + indicators + drawings → the renderer's chart spec. Overlay indicators go on the price
 * pane, the others into sub-panes (with their overbought/oversold levels). Pure.
 */
import type { StoredBar } from '../../pipeline/store/index.ts';
import { barColumns, invalidArgument } from '../common/index.ts';
import { computeOnBars, type IndicatorRequest } from '../indicators/index.ts';
import { layoutIndicator } from './indicator-layout.ts';
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
    const layout = layoutIndicator(req.info, req.label, computeOnBars(req, o.bars, o.warmup));
    const lines = layout.lines.map((l) => ({
      name: cut(l.name),
      values: Array.from(l.values),
      kind: l.kind,
    }));
    if (layout.overlay) overlays.push(...lines.map(({ name, values }) => ({ name, values })));
    else panes.push({ title: cut(layout.title), series: lines, levels: [...layout.levels] });
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
