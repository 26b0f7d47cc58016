/**
 * `trade` -> norm.trade (event_type `trade`). Aggressor from `m`: m=true means the buyer
 * was the maker, so the seller was the aggressor (SIDE_SELL). Futures trades whose order
 * type `X` is not MARKET (insurance fund, ADL) are skipped: Binance's own klines and
 * aggTrades leave them out too.
 */

import { EventType, Side } from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { checkTradeValues, isTradeValueFailure } from '../../trade-values.ts';
import { tradeSchema } from '../schemas/trade.ts';
import { NORM_TOPICS } from '../streams.ts';
import {
  ENCODERS,
  isUint,
  msToUs,
  type NormalizeContext,
  type NormalizeFailure,
  pushEnvelope,
  QUANTITY_IN_CONTRACTS,
  schemaFailure,
} from './envelope.ts';

/** Normalizes one `trade` message (see {@link NormalizeHandler}). */
export function normalizeTrade(
  data: unknown,
  ctx: NormalizeContext,
  out: BusRecord[],
): NormalizeFailure | undefined {
  if (typeof data !== 'object' || data === null)
    return schemaFailure(tradeSchema, data, 'expected an object');
  const r = data as Record<string, unknown>;
  const { s, t, p, q, T, E, m, X } = r;
  if (
    r.e !== 'trade' ||
    typeof s !== 'string' ||
    s.length === 0 ||
    !isUint(t) ||
    typeof p !== 'string' ||
    typeof q !== 'string' ||
    !isUint(T) ||
    !isUint(E) ||
    typeof m !== 'boolean'
  ) {
    return schemaFailure(tradeSchema, data, 'not a trade message');
  }
  if (X !== undefined && X !== 'MARKET') return undefined;
  // COIN-M quantities are contracts (100 USD for BTCUSD_PERP): price * contracts means nothing.
  const values = checkTradeValues(p, q, !QUANTITY_IN_CONTRACTS.has(ctx.venue));
  if (isTradeValueFailure(values)) return values;
  const tradeId = String(t);
  const payload = {
    tradeId,
    price: values.price,
    quantity: values.quantity,
    quoteQuantity: values.quoteQuantity,
    aggressor: m ? Side.SIDE_SELL : Side.SIDE_BUY,
    timeUs: msToUs(T),
    tradeCount: 1,
    bestMatch: r.M === true,
  };
  pushEnvelope(out, NORM_TOPICS.trade, ctx, s, EventType.trade, tradeId, msToUs(E), ENCODERS.trade, payload);
  return undefined;
}
