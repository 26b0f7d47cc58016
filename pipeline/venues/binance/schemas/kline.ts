/** The `<symbol>@kline_<interval>` stream; `k.x` tells a final bar from a forming one. */
import { z } from 'zod';
import { decimalString, epochMs } from './common.ts';

export const klineSchema = z.object({
  e: z.literal('kline'),
  E: epochMs,
  s: z.string().min(1),
  k: z.object({
    /** Open time (inclusive), ms. */
    t: epochMs,
    /** Close time (inclusive, last ms of the bar), ms. */
    T: epochMs,
    s: z.string().min(1),
    i: z.string().min(2),
    f: z.number().int(),
    L: z.number().int(),
    o: decimalString,
    c: decimalString,
    h: decimalString,
    l: decimalString,
    /** Base volume. */
    v: decimalString,
    n: z.number().int().nonnegative(),
    /** Final. */
    x: z.boolean(),
    /** Quote volume. */
    q: decimalString,
    /** Taker buy base volume. */
    V: decimalString,
    /** Taker buy quote volume. */
    Q: decimalString,
  }),
});
export type KlineMessage = z.infer<typeof klineSchema>;
