/// <reference lib="dom" />
/**
 * `createChartView`: the live chart of the web page and the chart MCP App (contract in
 * `./types.ts`). Candles and volume, the workspace's indicators, its drawings as series
 * primitives, and the mouse tools; the geometry lives in the pure modules beside this one.
 */
import {
  CandlestickSeries,
  createChart,
  HistogramSeries,
  type Logical,
  type UTCTimestamp,
} from 'lightweight-charts';
import { anchorsOf, type Drawing, type SnapBar, snapDrawing } from '../catalogue.ts';
import { priceDecimals } from '../render/format.ts';
import { candleOptions, chartOptions, DEFAULT_BAR_SPACING, THEMES } from './chart-options.ts';
import { DrawingPrimitive, type PrimitiveHost } from './drawing-primitive.ts';
import { DELETE_RADIUS, hitDrawing } from './hit-test.ts';
import { IndicatorPanes } from './indicator-panes.ts';
import { barInput } from './indicator-series.ts';
import { createMouseTool, type MouseTool, type ToolPoint, type ToolStep } from './mouse-tools.ts';
import type { Frame } from './shapes.ts';
import { logicalToBarTime, secondsToUs, timeToLogical, usToSeconds } from './time-axis.ts';
import type { ChartView, ChartViewOptions, DrawingTool, ViewBar, ViewDrawing } from './types.ts';

/** Index of the bar with time `t` in ascending `times`, or -1. */
function indexOfTime(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = times[mid] as number;
    if (v === t) return mid;
    if (v < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function createChartView(container: HTMLElement, options: ChartViewOptions): ChartView {
  let theme = THEMES[options.theme];
  let decimals = 2;
  const chart = createChart(container, chartOptions(theme));
  const candles = chart.addSeries(CandlestickSeries, candleOptions(theme, decimals));
  candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.22 } });
  const volume = chart.addSeries(HistogramSeries, {
    priceScaleId: 'volume',
    priceFormat: { type: 'volume' },
    lastValueVisible: false,
    priceLineVisible: false,
  });
  chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
  const indicators = new IndicatorPanes(chart);

  let bars: ViewBar[] = [];
  let times: number[] = [];
  const created: ((d: Drawing) => void)[] = [];
  const deleted: ((id: string) => void)[] = [];
  const ranged: ((from: number, to: number) => void)[] = [];

  const candleData = (b: ViewBar) => ({
    time: b.time as UTCTimestamp,
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
  });
  const volumeData = (b: ViewBar) => ({
    time: b.time as UTCTimestamp,
    value: b.volume,
    color: b.close >= b.open ? theme.volumeUp : theme.volumeDown,
  });

  // Drawings: one primitive each; `scratch` shows the tool's preview and drawings not yet saved.
  const primitives = new Map<string, DrawingPrimitive>();
  let selected: string | null = null;
  let preview: Drawing | null = null;
  let pending: Drawing[] = [];
  const host: PrimitiveHost = {
    frame(): Frame | null {
      if (times.length === 0) return null;
      const size = chart.paneSize(0);
      const ts = chart.timeScale();
      return {
        x: (us) => {
          const l = timeToLogical(times, usToSeconds(us));
          return l === null ? null : ts.logicalToCoordinate(l as Logical);
        },
        y: (price) => candles.priceToCoordinate(price),
        width: size.width,
        height: size.height,
        lastTimeUs: secondsToUs(times[times.length - 1] as number),
        color: theme.drawing,
        up: theme.up,
        down: theme.down,
        formatPrice: (p) => p.toFixed(decimals),
      };
    },
    isSelected: (id) => id === selected,
  };
  const scratch = new DrawingPrimitive('', [], host);
  candles.attachPrimitive(scratch);
  const showScratch = () => scratch.setDrawings(preview ? [...pending, preview] : pending);
  const refreshDrawings = () => {
    for (const p of primitives.values()) p.updateAllViews();
    scratch.setDrawings(preview ? [...pending, preview] : pending);
  };

  const snapBars = (): SnapBar[] => bars.map((b) => ({ ...b, time: secondsToUs(b.time) }));
  const removeDrawing = (id: string) => {
    const p = primitives.get(id);
    if (!p) return;
    candles.detachPrimitive(p);
    primitives.delete(id);
    if (selected === id) selected = null;
  };

  // Mouse tools and selection.
  let tool: MouseTool | null = null;
  const paneXY = (ev: MouseEvent): [number, number] | null => {
    const r = container.getBoundingClientRect();
    const x = ev.clientX - r.left;
    const y = ev.clientY - r.top;
    const size = chart.paneSize(0);
    return x >= 0 && y >= 0 && x <= size.width && y <= size.height ? [x, y] : null;
  };
  const toolPoint = (ev: MouseEvent): ToolPoint | null => {
    const xy = paneXY(ev);
    if (!xy) return null;
    const logical = chart.timeScale().coordinateToLogical(xy[0]);
    const time = logical === null ? null : logicalToBarTime(times, logical);
    const price = candles.coordinateToPrice(xy[1]);
    if (time === null || price === null) return null;
    return { x: xy[0], y: xy[1], timeUs: secondsToUs(time), price: Number(price.toFixed(decimals)) };
  };
  const apply = (step: ToolStep) => {
    preview = step.preview;
    if (step.done) {
      pending = [...pending, step.done];
      for (const l of created) l(step.done);
    }
    showScratch();
  };
  const onDown = (ev: PointerEvent) => {
    if (ev.button !== 0) return;
    container.focus({ preventScroll: true });
    if (tool) {
      const p = toolPoint(ev);
      if (p) apply(tool.down(p));
      return;
    }
    const xy = paneXY(ev);
    if (!xy) return;
    const button = selected ? primitives.get(selected)?.deleteButton : null;
    if (selected && button && Math.hypot(xy[0] - button[0], xy[1] - button[1]) <= DELETE_RADIUS + 2) {
      deleteSelected();
      ev.stopPropagation();
      return;
    }
    selected = hitDrawing(primitives.values(), xy[0], xy[1]);
    refreshDrawings();
  };
  const onMove = (ev: PointerEvent) => {
    const p = tool && toolPoint(ev);
    if (tool && p) apply(tool.move(p));
  };
  const onUp = (ev: PointerEvent) => {
    const p = tool && toolPoint(ev);
    if (tool && p) apply(tool.up(p));
  };
  const deleteSelected = () => {
    const id = selected;
    if (id === null) return;
    removeDrawing(id);
    refreshDrawings();
    for (const l of deleted) l(id);
  };
  const onKey = (ev: KeyboardEvent) => {
    if ((ev.key === 'Delete' || ev.key === 'Backspace') && selected !== null) {
      ev.preventDefault();
      deleteSelected();
    } else if (ev.key === 'Escape') {
      selected = null;
      if (tool) tool = createMouseTool(tool.tool);
      preview = null;
      refreshDrawings();
    }
  };
  if (container.tabIndex < 0) container.tabIndex = 0;
  container.addEventListener('pointerdown', onDown, true);
  container.addEventListener('pointermove', onMove, true);
  container.addEventListener('pointerup', onUp, true);
  container.addEventListener('keydown', onKey);

  const onRange = (r: { from: unknown; to: unknown } | null) => {
    if (r) for (const l of ranged) l(r.from as number, r.to as number);
  };
  chart.timeScale().subscribeVisibleTimeRangeChange(onRange);

  // Live bars: the candle and volume update at once; indicators catch up once per frame.
  let dirtyFrom = -1;
  let knownBars = 0;
  let frameRequested = false;
  const flushIndicators = () => {
    frameRequested = false;
    if (dirtyFrom < 0) return;
    indicators.updateTail(times, barInput(bars), dirtyFrom, knownBars);
    dirtyFrom = -1;
    knownBars = bars.length;
  };

  const view: ChartView = {
    setBars(next) {
      bars = [...next];
      times = bars.map((b) => b.time);
      decimals = priceDecimals(bars.map((b) => b.close));
      candles.applyOptions(candleOptions(theme, decimals));
      candles.setData(bars.map(candleData));
      volume.setData(bars.map(volumeData));
      indicators.rebuild(times, barInput(bars), theme);
      dirtyFrom = -1;
      knownBars = bars.length;
      // A short history (a fresh install, a new listing) would sit in a sliver at the right edge
      // at the default bar spacing: spread it over the pane (up to the options' maxBarSpacing).
      if (bars.length * DEFAULT_BAR_SPACING < container.clientWidth) chart.timeScale().fitContent();
      refreshDrawings();
    },
    updateBar(bar) {
      const n = bars.length;
      const last = bars[n - 1];
      let index: number;
      if (!last || bar.time > last.time) {
        bars.push(bar);
        times.push(bar.time);
        index = n;
      } else {
        index = bar.time === last.time ? n - 1 : indexOfTime(times, bar.time);
        if (index < 0) {
          view.setBars([...bars, bar].sort((a, b) => a.time - b.time));
          return;
        }
        bars[index] = bar;
      }
      const historical = index < n - 1;
      candles.update(candleData(bar), historical);
      volume.update(volumeData(bar), historical);
      dirtyFrom = dirtyFrom < 0 ? index : Math.min(dirtyFrom, index);
      if (!frameRequested) {
        frameRequested = true;
        requestAnimationFrame(flushIndicators);
      }
    },
    setIndicators(next) {
      indicators.set(next, times, barInput(bars), theme);
    },
    setDrawings(next: readonly ViewDrawing[]) {
      const ids = new Set(next.map((d) => d.id));
      for (const id of [...primitives.keys()]) if (!ids.has(id)) removeDrawing(id);
      const snap = next.some((d) => anchorsOf(d.drawing).some((a) => a.snap)) ? snapBars() : [];
      for (const { id, drawing } of next) {
        const shown = snap.length ? snapDrawing(drawing, snap) : drawing;
        const existing = primitives.get(id);
        if (existing) existing.setDrawings([shown]);
        else {
          const p = new DrawingPrimitive(id, [shown], host);
          primitives.set(id, p);
          candles.attachPrimitive(p);
        }
      }
      pending = [];
      refreshDrawings();
    },
    setTheme(name) {
      theme = THEMES[name];
      chart.applyOptions(chartOptions(theme));
      candles.applyOptions(candleOptions(theme, decimals));
      volume.setData(bars.map(volumeData));
      indicators.rebuild(times, barInput(bars), theme);
      refreshDrawings();
    },
    setTool(next: DrawingTool) {
      tool = next ? createMouseTool(next) : null;
      preview = null;
      selected = null;
      chart.applyOptions({ handleScroll: next === null, handleScale: next === null });
      container.style.cursor = next ? 'crosshair' : '';
      refreshDrawings();
    },
    onDrawingCreated: (l) => void created.push(l),
    onDrawingDeleted: (l) => void deleted.push(l),
    onRangeChanged: (l) => void ranged.push(l),
    state: () => ({
      bars: bars.length,
      ...(bars.length ? { last: bars[bars.length - 1] } : {}),
      drawings: [...primitives.keys()],
      indicators: indicators.names(),
      ...(selected === null ? {} : { selected }),
    }),
    destroy() {
      container.removeEventListener('pointerdown', onDown, true);
      container.removeEventListener('pointermove', onMove, true);
      container.removeEventListener('pointerup', onUp, true);
      container.removeEventListener('keydown', onKey);
      chart.timeScale().unsubscribeVisibleTimeRangeChange(onRange);
      chart.remove();
    },
  };
  return view;
}
