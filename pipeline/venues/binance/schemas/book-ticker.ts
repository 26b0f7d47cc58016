/**
 * The `<symbol>@bookTicker` / `!bookTicker` stream. Spot has no `e`/`E`/`T`; futures have
 * all three.
 */
import { z } from 'zod';
import { decimalString, epochMs, venueInt } from './common.ts';

export const bookTickerSchema = z.object({
  e: z.literal('bookTicker').optional(),
  E: epochMs.optional(),
  T: epochMs.optional(),
  /** Order book update id. */
  u: venueInt,
  s: z.string().min(1),
  b: decimalString,
  B: decimalString,
  a: decimalString,
  A: decimalString,
});
export type BookTickerMessage = z.infer<typeof bookTickerSchema>;
