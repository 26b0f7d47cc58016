/**
 * The contract of the browser chart view (`createChartView` in `./index.ts`): a live
 * candlestick chart on TradingView's lightweight-charts v5 with volume, the workspace's
 * indicators (overlays and oscillator panes) and its drawings from the one catalogue
 * (`../catalogue.ts`), plus mouse tools to draw and delete. Used by the gateway's web page and
 * by the chart MCP App; browser-only (DOM), bundled by `scripts/build.mjs`.
 *
 * Units: bars in epoch SECONDS (lightweight-charts' unit); drawings in epoch MICROSECONDS, as
 * the catalogue stores them. The view converts.
 */
import type { Drawing } from '../catalogue.ts';

/** One candle. */
export interface ViewBar {
  /** Open time, epoch seconds. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** An indicator of the workspace, computed by the view from its bars. */
export interface ViewIndicator {
  readonly id: string;
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
}

/** A drawing of the workspace, with its id. */
export interface ViewDrawing {
  readonly id: string;
  readonly drawing: Drawing;
}

/** What the mouse draws next; `null`: pan/zoom and select. */
export type DrawingTool = 'hline' | 'trendline' | 'rect' | null;

export interface ChartViewOptions {
  readonly theme: 'dark' | 'light';
}

/** What the view shows now (tests and the page's status line read it). */
export interface ChartViewState {
  readonly bars: number;
  readonly last?: ViewBar;
  /** Ids of the drawings rendered. */
  readonly drawings: readonly string[];
  /** Names of the indicators rendered. */
  readonly indicators: readonly string[];
  /** Id of the drawing the user selected (clicked), if any. */
  readonly selected?: string;
}

export interface ChartView {
  /** Replaces every bar (a new symbol or period). Ascending by time. */
  setBars(bars: readonly ViewBar[]): void;
  /** A forming or final bar from the live feed: replaces the bar with its time, or appends it. */
  updateBar(bar: ViewBar): void;
  setIndicators(indicators: readonly ViewIndicator[]): void;
  setDrawings(drawings: readonly ViewDrawing[]): void;
  setTheme(theme: 'dark' | 'light'): void;
  setTool(tool: DrawingTool): void;
  /** The user finished a drawing with the mouse (times in µs, snapped to bar times). */
  onDrawingCreated(listener: (drawing: Drawing) => void): void;
  /** The user selected a drawing and deleted it (Delete/Backspace key, or the × on it). */
  onDrawingDeleted(listener: (id: string) => void): void;
  /** The visible time range changed (pan, zoom), epoch seconds. */
  onRangeChanged(listener: (from: number, to: number) => void): void;
  state(): ChartViewState;
  destroy(): void;
}
