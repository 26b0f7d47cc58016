/**
 * What the chart MCP App and the charting server say to each other (browser-safe: zod and the
 * drawing catalogue only): the `ui://` address, the chart a `show_chart` call shows, and the
 * bars, indicators and drawings the app-only `chart_data` tool answers with.
 */
import * as z from 'zod';
import { drawingSchema } from '../catalogue.ts';

/** The app's resource, named by `show_chart`'s `_meta.ui.resourceUri`. */
export const CHART_APP_URI = 'ui://quantforge/chart.html';
/** The periods of the app's switcher. */
export const APP_PERIODS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
/** Most bars one `chart_data` call answers with when the range is open. */
export const APP_MAX_BARS = 1_000;
/** Most bars the app holds after pans have loaded older ones. */
export const APP_HISTORY_BARS = 5_000;

/** The chart a `show_chart` call shows: its `structuredContent.chart`. */
export const chartRefSchema = z.object({
  exchange: z.string(),
  symbol: z.string(),
  period: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  bars: z.number().int().positive(),
  theme: z.enum(['light', 'dark']),
});
export type ChartRef = z.output<typeof chartRefSchema>;

export const showChartContentSchema = z.object({ chart: chartRefSchema });

/** One candle as the view takes it: time in epoch SECONDS. */
const viewBarSchema = z.object({
  time: z.number(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
});

/** `chart_data`'s `structuredContent`. */
export const chartDataSchema = z.object({
  chart: chartRefSchema,
  bars: z.array(viewBarSchema),
  /** Whether older bars may be stored before the first one (a pan to the left loads them). */
  older: z.boolean(),
  indicators: z.array(
    z.object({ id: z.string(), name: z.string(), params: z.record(z.string(), z.number()) }),
  ),
  drawings: z.array(z.object({ id: z.string(), drawing: drawingSchema })),
});
export type ChartData = z.output<typeof chartDataSchema>;
