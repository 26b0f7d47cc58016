/**
 * `aggTrade` -> norm.trade (event_type `agg_trade`): one record per taker order and price,
 * first/last underlying trade ids kept, trade_count = l - f + 1.
 */

import { EventType, Side } from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { checkTradeValues, isTradeValueFailure } from '../../trade-values.ts';
import { aggTradeSchema } from '../schemas/agg-trade.ts';
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

/** Normalizes one `aggTrade` message. */
export function normalizeAggTrade(
  data: unknown,
  ctx: NormalizeContext,
  out: BusRecord[],
): NormalizeFailure | undefined {
  if (typeof data !== 'object' || data === null)
    return schemaFailure(aggTradeSchema, data, 'expected an object');
  const r = data as Record<string, unknown>;
  const { s, a, p, q, f, l, T, E, m } = r;
  if (
    r.e !== 'aggTrade' ||
    typeof s !== 'string' ||
    s.length === 0 ||
    !isUint(a) ||
    typeof p !== 'string' ||
    typeof q !== 'string' ||
    !isUint(f) ||
    !isUint(l) ||
    !isUint(T) ||
    !isUint(E) ||
    typeof m !== 'boolean'
  ) {
    return schemaFailure(aggTradeSchema, data, 'not an aggTrade message');
  }
  if (l < f) return { code: 'schema', message: `l (${l}) is before f (${f})` };
  // COIN-M quantities are contracts (100 USD for BTCUSD_PERP): price * contracts means nothing.
  const values = checkTradeValues(p, q, !QUANTITY_IN_CONTRACTS.has(ctx.venue));
  if (isTradeValueFailure(values)) return values;
  const aggId = String(a);
  const payload = {
    tradeId: aggId,
    price: values.price,
    quantity: values.quantity,
    quoteQuantity: values.quoteQuantity,
    aggressor: m ? Side.SIDE_SELL : Side.SIDE_BUY,
    timeUs: msToUs(T),
    firstTradeId: String(f),
    lastTradeId: String(l),
    tradeCount: l - f + 1,
    bestMatch: r.M === true,
  };
  pushEnvelope(out, NORM_TOPICS.trade, ctx, s, EventType.aggTrade, aggId, msToUs(E), ENCODERS.trade, payload);
  return undefined;
}
