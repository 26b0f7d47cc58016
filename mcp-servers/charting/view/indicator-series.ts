/**
 * The workspace's indicators computed over the view's bars and laid out like the PNG chart
 * (`../indicator-layout.ts`): overlays on the price pane, oscillators in panes of their own.
 * Pure (the indicators library is browser-safe).
 */
import {
  computeIndicator,
  getIndicatorInfo,
  type IndicatorInput,
  parseIndicatorParams,
} from '../../../indicators/index.ts';
import { indicatorLabel } from '../../indicators/presentation.ts';
import { type IndicatorLayout, layoutIndicator } from '../indicator-layout.ts';
import type { ViewBar, ViewIndicator } from './types.ts';

/** Bars as the indicator library's columns (time in µs). */
export function barInput(bars: readonly ViewBar[]): IndicatorInput {
  const n = bars.length;
  const c = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const b = bars[i] as ViewBar;
    c.time[i] = b.time * 1e6;
    c.open[i] = b.open;
    c.high[i] = b.high;
    c.low[i] = b.low;
    c.close[i] = b.close;
    c.volume[i] = b.volume;
  }
  return c;
}

/** One indicator's lines over the bars, or why it cannot be shown. */
export type ComputedIndicator =
  | { readonly id: string; readonly name: string; readonly layout: IndicatorLayout<Float64Array> }
  | { readonly id: string; readonly name: string; readonly error: string };

/** Each indicator over `input` (an unknown name or bad params gives an `error`, never a throw). */
export function computeIndicators(
  indicators: readonly ViewIndicator[],
  input: IndicatorInput,
): ComputedIndicator[] {
  return indicators.map((ind) => {
    try {
      const info = getIndicatorInfo(ind.name);
      const params = parseIndicatorParams(info.name, ind.params);
      const { columns } = computeIndicator(info.name, input, params);
      return {
        id: ind.id,
        name: info.name,
        layout: layoutIndicator(info, indicatorLabel(info.name, params), columns),
      };
    } catch (err) {
      return { id: ind.id, name: ind.name, error: err instanceof Error ? err.message : String(err) };
    }
  });
}
