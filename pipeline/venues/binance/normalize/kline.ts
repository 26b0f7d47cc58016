/**
 * `kline_<interval>` -> norm.kline (event_type `bar`). `k.x` decides final vs forming; the
 * Bar's close time is exclusive (Binance's `k.T` is the bar's last millisecond, so +1 ms).
 * Each update of a forming bar is its own event (`<interval>:<openTime>:<E>`), so dedup
 * keeps every update and drops only true duplicates; the final bar is `<interval>:<openTime>:final`
 * whether it came over the websocket or from REST backfill, so the two dedup exactly.
 * Klines arrive at ~1/s per stream, so zod validates them directly.
 */

import { subDecimalText, tryCanonicalDecimal } from '../../../../core/decimal/index.ts';
import { EventType } from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { describeIssues } from '../schemas/common.ts';
import { klineSchema } from '../schemas/kline.ts';
import { NORM_TOPICS } from '../streams.ts';
import { ENCODERS, msToUs, type NormalizeContext, type NormalizeFailure, pushEnvelope } from './envelope.ts';

function dec(s: string): string {
  // The schema already checked the decimal shape, so tryCanonicalDecimal cannot fail here.
  return tryCanonicalDecimal(s) ?? s;
}

/** Normalizes one `kline` message. */
export function normalizeKline(
  data: unknown,
  ctx: NormalizeContext,
  out: BusRecord[],
): NormalizeFailure | undefined {
  const parsed = klineSchema.safeParse(data);
  if (!parsed.success) return { code: 'schema', message: describeIssues(parsed.error) };
  const { E, s, k } = parsed.data;
  if (k.T < k.t) return { code: 'schema', message: `k.T (${k.T}) is before k.t (${k.t})` };
  const volume = dec(k.v);
  const takerBuyVolume = dec(k.V);
  const payload = {
    period: k.i,
    openTimeUs: msToUs(k.t),
    closeTimeUs: msToUs(k.T + 1),
    open: dec(k.o),
    high: dec(k.h),
    low: dec(k.l),
    close: dec(k.c),
    volume,
    takerBuyVolume,
    makerVolume: subDecimalText(volume, takerBuyVolume),
    tradeCount: k.n,
    quoteVolume: dec(k.q),
    takerBuyQuoteVolume: dec(k.Q),
    revision: 0,
    final: k.x,
  };
  const venueId = k.x ? `${k.i}:${k.t}:final` : `${k.i}:${k.t}:${E}`;
  pushEnvelope(out, NORM_TOPICS.kline, ctx, s, EventType.bar, venueId, msToUs(E), ENCODERS.bar, payload);
  return undefined;
}
