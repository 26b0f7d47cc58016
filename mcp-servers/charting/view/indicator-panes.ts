/// <reference lib="dom" />
/**
 * The workspace's indicators on the chart: overlay lines on the price pane, each oscillator in
 * a pane below (with its zone levels). Rebuilt when the indicators or bars change; a live bar
 * only updates the tail of each line.
 */
import {
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  LineSeries,
  LineStyle,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { IndicatorInput } from '../../../indicators/index.ts';
import type { ChartTheme } from './chart-options.ts';
import { type ComputedIndicator, computeIndicators } from './indicator-series.ts';
import type { ViewIndicator } from './types.ts';

interface Line {
  readonly series: ISeriesApi<'Line'> | ISeriesApi<'Histogram'>;
  readonly column: string;
  readonly indicator: number;
}

const point = (time: number, v: number | undefined) =>
  v === undefined || !Number.isFinite(v)
    ? { time: time as UTCTimestamp }
    : { time: time as UTCTimestamp, value: v };

export class IndicatorPanes {
  private indicators: readonly ViewIndicator[] = [];
  private lines: Line[] = [];
  private computed: ComputedIndicator[] = [];

  constructor(private readonly chart: IChartApi) {}

  /** Names of the indicators shown (those that computed). */
  names(): string[] {
    return this.computed.flatMap((c) => ('layout' in c ? [c.name] : []));
  }

  /** Replaces the indicators and draws them over the bars. */
  set(
    indicators: readonly ViewIndicator[],
    times: readonly number[],
    input: IndicatorInput,
    theme: ChartTheme,
  ): void {
    this.indicators = indicators;
    this.rebuild(times, input, theme);
  }

  /** Removes every line and pane, then draws the indicators again (new bars, theme). */
  rebuild(times: readonly number[], input: IndicatorInput, theme: ChartTheme): void {
    for (const l of this.lines) this.chart.removeSeries(l.series);
    this.lines = [];
    for (let i = this.chart.panes().length - 1; i >= 1; i--) this.chart.removePane(i);
    this.computed = computeIndicators(this.indicators, input);
    let pane = 0;
    let colour = 0;
    this.computed.forEach((c, indicator) => {
      if (!('layout' in c)) return;
      const paneIndex = c.layout.overlay ? 0 : ++pane;
      for (const l of c.layout.lines) {
        const color = theme.palette[colour++ % theme.palette.length] as string;
        const common = {
          priceLineVisible: false,
          lastValueVisible: !c.layout.overlay,
          title: c.layout.overlay ? '' : l.name,
        };
        const series =
          l.kind === 'histogram'
            ? this.chart.addSeries(HistogramSeries, { ...common, color }, paneIndex)
            : this.chart.addSeries(LineSeries, { ...common, color, lineWidth: 1 }, paneIndex);
        series.setData(Array.from(l.values, (v, i) => point(times[i] as number, v)));
        this.lines.push({ series, column: l.column, indicator });
      }
      const first = this.lines.at(-1);
      if (!c.layout.overlay && first) {
        for (const level of c.layout.levels) {
          first.series.createPriceLine({
            price: level,
            color: theme.axis,
            lineStyle: LineStyle.Dashed,
            lineWidth: 1,
            axisLabelVisible: false,
          });
        }
      }
    });
  }

  /**
   * Recomputes over the bars and updates bars `from`…end of each line (a live bar changed or
   * was appended; `known`: how many bars the lines held before).
   */
  updateTail(times: readonly number[], input: IndicatorInput, from: number, known: number): void {
    if (this.lines.length === 0) return;
    this.computed = computeIndicators(this.indicators, input);
    for (const l of this.lines) {
      const c = this.computed[l.indicator];
      const values =
        c && 'layout' in c ? c.layout.lines.find((x) => x.column === l.column)?.values : undefined;
      if (!values) continue;
      for (let i = from; i < times.length; i++) {
        l.series.update(point(times[i] as number, values[i]) as never, i < known - 1);
      }
    }
  }
}
