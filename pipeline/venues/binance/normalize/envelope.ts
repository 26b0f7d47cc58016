/**
 * Shared shell of every normalizer: the context a frame is read in, the failure a handler
 * returns, and the envelope writer. Handlers push records into a caller-owned array and
 * return `undefined` on success, so the hot path allocates nothing else per frame.
 */
import type { z } from 'zod';
import { EnvelopeCodec, eventId, SCHEMA_VERSION, seriesKey } from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { describeIssues } from '../schemas/common.ts';

/** Where a frame came from. */
export interface NormalizeContext {
  /** BINANCE, BINANCE_USDM or BINANCE_COINM. */
  readonly venue: string;
  /** The stream type, e.g. `trade`, `kline_1m`; copied into the envelope. */
  readonly stream: string;
  /** When ingest accepted the raw frame, epoch µs; copied so re-normalizing gives the same bytes. */
  readonly ingestedAtUs: number;
}

/** Why a message could not be normalized (becomes a DLQ reason). */
export interface NormalizeFailure {
  /** `schema`, `malformed_json`, `unknown_stream`, ... */
  readonly code: string;
  readonly message: string;
}

/** A channel's normalizer: reads `data` (the `data` of a combined-stream message), pushes envelopes. */
export type NormalizeHandler = (
  data: unknown,
  ctx: NormalizeContext,
  out: BusRecord[],
) => NormalizeFailure | undefined;

/**
 * Venues whose trade quantities are contracts, not base units (COIN-M: 100 USD per BTC
 * contract, 10 USD for others; the size is SymbolInfo.contract_size). Their trades carry no
 * quote_quantity: turning contracts into notional needs the contract size, which consumers
 * take from the symbol list.
 */
export const QUANTITY_IN_CONTRACTS: ReadonlySet<string> = new Set(['BINANCE_COINM']);

/** Epoch ms -> epoch µs. */
export function msToUs(ms: number): number {
  return ms * 1000;
}

/** A field-by-field fast check failed: let zod say precisely what is wrong. */
export function schemaFailure(schema: z.ZodType, data: unknown, fallback: string): NormalizeFailure {
  const result = schema.safeParse(data);
  return {
    code: 'schema',
    message: result.success ? fallback : describeIssues(result.error),
  };
}

/** Is `v` a non-negative safe integer (a venue id or a time)? */
export function isUint(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Encodes one normalized envelope and appends it to `out`. */
export function pushEnvelope(
  out: BusRecord[],
  topic: string,
  ctx: NormalizeContext,
  symbol: string,
  eventType: string,
  venueId: string,
  observedAtUs: number,
  payload: Uint8Array,
): void {
  out.push({
    topic,
    key: seriesKey(ctx.venue, symbol),
    value: EnvelopeCodec.encode({
      eventId: eventId(ctx.venue, symbol, eventType, venueId),
      eventType,
      venue: ctx.venue,
      symbol,
      observedAtUs,
      ingestedAtUs: ctx.ingestedAtUs,
      schemaVersion: SCHEMA_VERSION,
      payload,
      stream: ctx.stream,
    }),
  });
}
