/**
 * `bookTicker` -> norm.book_top (event_type `book_top`), keyed by the book update id `u`.
 * Futures give event time `E` (observed_at) and transaction time `T` (time_us). Spot gives
 * neither: observed_at_us and time_us are 0 there ("unknown"; the envelope's ingested_at_us
 * still says when we received it) because local receive time must never pose as venue time.
 */

import { tryCanonicalDecimal } from '../../../../core/decimal/index.ts';
import { EventType } from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { bookTickerSchema } from '../schemas/book-ticker.ts';
import { NORM_TOPICS } from '../streams.ts';
import {
  ENCODERS,
  isUint,
  msToUs,
  type NormalizeContext,
  type NormalizeFailure,
  pushEnvelope,
  schemaFailure,
} from './envelope.ts';

/** Normalizes one `bookTicker` message. */
export function normalizeBookTicker(
  data: unknown,
  ctx: NormalizeContext,
  out: BusRecord[],
): NormalizeFailure | undefined {
  if (typeof data !== 'object' || data === null)
    return schemaFailure(bookTickerSchema, data, 'expected an object');
  const r = data as Record<string, unknown>;
  const { u, s, b, B, a, A, E, T } = r;
  if (
    !isUint(u) ||
    typeof s !== 'string' ||
    s.length === 0 ||
    typeof b !== 'string' ||
    typeof B !== 'string' ||
    typeof a !== 'string' ||
    typeof A !== 'string' ||
    (E !== undefined && !isUint(E)) ||
    (T !== undefined && !isUint(T))
  ) {
    return schemaFailure(bookTickerSchema, data, 'not a bookTicker message');
  }
  const bidPrice = tryCanonicalDecimal(b);
  const bidQuantity = tryCanonicalDecimal(B);
  const askPrice = tryCanonicalDecimal(a);
  const askQuantity = tryCanonicalDecimal(A);
  if (bidPrice === null || bidQuantity === null || askPrice === null || askQuantity === null) {
    return schemaFailure(bookTickerSchema, data, 'bad decimal');
  }
  const eventUs = E === undefined ? 0 : msToUs(E);
  const payload = {
    bidPrice,
    bidQuantity,
    askPrice,
    askQuantity,
    timeUs: T === undefined ? eventUs : msToUs(T),
    updateId: u,
  };
  pushEnvelope(
    out,
    NORM_TOPICS.bookTop,
    ctx,
    s,
    EventType.bookTop,
    String(u),
    eventUs,
    ENCODERS.bookTop,
    payload,
  );
  return undefined;
}
