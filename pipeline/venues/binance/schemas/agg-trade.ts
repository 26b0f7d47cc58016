/** The `<symbol>@aggTrade` stream: trades at one price from one taker order. */
import { z } from 'zod';
import { decimalString, epochMs, venueInt } from './common.ts';

export const aggTradeSchema = z.object({
  e: z.literal('aggTrade'),
  E: epochMs,
  s: z.string().min(1),
  /** Aggregate trade id. */
  a: venueInt,
  p: decimalString,
  q: decimalString,
  /** First and last underlying trade id. */
  f: venueInt,
  l: venueInt,
  T: epochMs,
  m: z.boolean(),
  /** Spot only. */
  M: z.boolean().optional(),
});
export type AggTradeMessage = z.infer<typeof aggTradeSchema>;
