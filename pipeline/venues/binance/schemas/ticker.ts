/**
 * The `<symbol>@ticker` stream (one `24hrTicker`) and `!ticker@arr` (an array of them).
 * Spot adds best bid/ask (`b`, `a`) and the previous close (`x`); futures do not.
 */
import { z } from 'zod';
import { decimalString, epochMs } from './common.ts';

export const tickerSchema = z.object({
  e: z.literal('24hrTicker'),
  E: epochMs,
  s: z.string().min(1),
  p: decimalString,
  P: decimalString,
  w: decimalString,
  c: decimalString,
  o: decimalString,
  h: decimalString,
  l: decimalString,
  v: decimalString,
  q: decimalString,
  O: epochMs,
  C: epochMs,
  n: z.number().int().nonnegative(),
  b: decimalString.optional(),
  a: decimalString.optional(),
});
export type TickerMessage = z.infer<typeof tickerSchema>;

export const tickerArraySchema = z.array(tickerSchema);
