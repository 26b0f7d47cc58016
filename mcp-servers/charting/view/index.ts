/**
 * The browser chart view: `createChartView(container, options)` (contract in `./types.ts`).
 * Browser-only (DOM, lightweight-charts); the pure parts beside it run anywhere.
 */
export { createChartView } from './chart-view.ts';
export type {
  ChartView,
  ChartViewOptions,
  ChartViewState,
  DrawingTool,
  ViewBar,
  ViewDrawing,
  ViewIndicator,
} from './types.ts';
