/** The `<symbol>@trade` stream. Spot carries `M` (best match), futures carry `X` (order type). */
import { z } from 'zod';
import { decimalString, epochMs, venueInt } from './common.ts';

export const tradeSchema = z.object({
  e: z.literal('trade'),
  /** Event time, ms. */
  E: epochMs,
  s: z.string().min(1),
  /** Trade id. */
  t: venueInt,
  p: decimalString,
  q: decimalString,
  /** Trade time, ms. */
  T: epochMs,
  /** Buyer is the maker: the seller was the aggressor. */
  m: z.boolean(),
  /** Spot only: best price match. */
  M: z.boolean().optional(),
  /** Futures only: order type (MARKET, ...). */
  X: z.string().optional(),
});
export type TradeMessage = z.infer<typeof tradeSchema>;
