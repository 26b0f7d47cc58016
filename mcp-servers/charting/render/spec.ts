import { z } from 'zod';
import { drawingSchema } from '../catalogue.ts';

export { anchorSchema, type Drawing, drawingSchema } from '../catalogue.ts';

/** Epoch microseconds, the platform's time unit. */
const timeUs = z.number().int().nonnegative().describe('time, epoch microseconds (UTC)');
const price = z.number().finite().describe('price');
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{3,8}$|^[a-z]+$/, 'expected a CSS colour like #26a69a or "orange"')
  .describe('CSS colour, e.g. #26a69a');

/** A named line over the bars, aligned with them (NaN = no value, e.g. an indicator's warm-up). */
export const lineSeriesSchema = z.object({
  name: z.string().min(1).max(40),
  values: z.array(z.number().or(z.nan())),
  color: color.optional(),
  kind: z.enum(['line', 'histogram']).default('line'),
});

/** An oscillator pane under the price pane (RSI, MACD, ...). */
export const paneSchema = z.object({
  title: z.string().min(1).max(40),
  series: z.array(lineSeriesSchema).min(1).max(6),
  /** Guide levels, e.g. 30 and 70 for RSI. */
  levels: z.array(z.number().finite()).max(4).default([]),
});

/** OHLCV columns, oldest first, all the same length. */
export const barsSchema = z.object({
  time: z.array(timeUs).min(1, 'expected at least one bar'),
  open: z.array(price),
  high: z.array(price),
  low: z.array(price),
  close: z.array(price),
  volume: z.array(z.number().finite().nonnegative()),
});

export const chartSpecSchema = z
  .object({
    title: z.string().max(120).default(''),
    width: z.number().int().min(320).max(3000).default(1000),
    height: z.number().int().min(240).max(2000).default(600),
    theme: z.enum(['light', 'dark']).default('dark'),
    bars: barsSchema,
    showVolume: z.boolean().default(true),
    overlays: z.array(lineSeriesSchema).max(8).default([]),
    panes: z.array(paneSchema).max(3).default([]),
    drawings: z.array(drawingSchema).max(50).default([]),
  })
  .superRefine((spec, ctx) => {
    const n = spec.bars.time.length;
    for (const column of ['open', 'high', 'low', 'close', 'volume'] as const) {
      if (spec.bars[column].length !== n) {
        ctx.addIssue({
          code: 'custom',
          path: ['bars', column],
          message: `expected ${n} values (one per bar time), got ${spec.bars[column].length}`,
        });
      }
    }
    const lines = [
      ...spec.overlays.map((s, i) => ({ s, path: ['overlays', i, 'values'] })),
      ...spec.panes.flatMap((p, i) =>
        p.series.map((s, j) => ({ s, path: ['panes', i, 'series', j, 'values'] })),
      ),
    ];
    for (const { s, path } of lines) {
      if (s.values.length !== n) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `expected ${n} values aligned with the bars, got ${s.values.length}`,
        });
      }
    }
  });

export type ChartSpecInput = z.input<typeof chartSpecSchema>;
export type ChartSpec = z.output<typeof chartSpecSchema>;
export type LineSeries = z.output<typeof lineSeriesSchema>;
