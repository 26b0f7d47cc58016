/**
 * `24hrTicker` (single `<symbol>@ticker`, or the `!ticker@arr` array) -> norm.ticker
 * (event_type `ticker`), one envelope per symbol, event id `<E>`. Futures tickers carry no
 * best bid/ask: those fields stay empty.
 */

import { tryCanonicalDecimal } from '../../../../core/decimal/index.ts';
import { EventType } from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { describeIssues } from '../schemas/common.ts';
import { type TickerMessage, tickerSchema } from '../schemas/ticker.ts';
import { NORM_TOPICS } from '../streams.ts';
import { ENCODERS, msToUs, type NormalizeContext, type NormalizeFailure, pushEnvelope } from './envelope.ts';

function dec(s: string | undefined): string {
  return s === undefined ? '' : (tryCanonicalDecimal(s) ?? s);
}

function pushTicker(t: TickerMessage, ctx: NormalizeContext, out: BusRecord[]): void {
  const payload = {
    lastPrice: dec(t.c),
    openPrice: dec(t.o),
    highPrice: dec(t.h),
    lowPrice: dec(t.l),
    volume: dec(t.v),
    quoteVolume: dec(t.q),
    priceChange: dec(t.p),
    priceChangePercent: dec(t.P),
    weightedAvgPrice: dec(t.w),
    openTimeUs: msToUs(t.O),
    closeTimeUs: msToUs(t.C),
    tradeCount: t.n,
    bidPrice: dec(t.b),
    askPrice: dec(t.a),
  };
  pushEnvelope(
    out,
    NORM_TOPICS.ticker,
    ctx,
    t.s,
    EventType.ticker,
    String(t.E),
    msToUs(t.E),
    ENCODERS.ticker,
    payload,
  );
}

/**
 * Normalizes a `24hrTicker` object or an array of them. In an array, a bad element is
 * reported (the whole frame goes to the DLQ) and nothing from the frame is emitted, so a
 * frame is either fully normalized or fully dead-lettered.
 */
export function normalizeTicker(
  data: unknown,
  ctx: NormalizeContext,
  out: BusRecord[],
): NormalizeFailure | undefined {
  const items = Array.isArray(data) ? data : [data];
  const parsed: TickerMessage[] = [];
  for (let i = 0; i < items.length; i++) {
    const r = tickerSchema.safeParse(items[i]);
    if (!r.success) {
      const where = Array.isArray(data) ? `[${i}] ` : '';
      return { code: 'schema', message: `${where}${describeIssues(r.error)}` };
    }
    parsed.push(r.data);
  }
  for (const t of parsed) pushTicker(t, ctx, out);
  return undefined;
}
