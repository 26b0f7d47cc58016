/**
 * Shared shell of every normalizer: the context a frame is read in, the failure a handler
 * returns, and the envelope writer. Handlers push records into a caller-owned array and
 * return `undefined` on success, so the hot path allocates nothing else per frame.
 */

import protobuf from 'protobufjs/minimal.js';
import type { z } from 'zod';
import { quantforge } from '../../../../proto/gen/quantforge.js';
import { eventId, SCHEMA_VERSION, seriesKey } from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { describeIssues } from '../schemas/common.ts';

const { Writer } = protobuf;
type Writer = protobuf.Writer;

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

/** A generated protobuf encoder (`quantforge.v1.Trade.encode`, ...), writing into a given writer. */
export type PayloadEncoder<T> = (message: T, writer: Writer) => Writer;

const v1 = quantforge.v1;

/** Payload encoders by message. */
export const ENCODERS = {
  trade: v1.Trade.encode,
  bar: v1.Bar.encode,
  bookTop: v1.BookTop.encode,
  ticker: v1.Ticker.encode,
} as const;

/**
 * Encodes one normalized envelope and appends it to `out`. The payload message is written
 * straight into the envelope's writer (one buffer, no intermediate payload bytes); field
 * order is the .proto order, so the bytes equal `EnvelopeCodec.encode` of the same values.
 */
export function pushEnvelope<T>(
  out: BusRecord[],
  topic: string,
  ctx: NormalizeContext,
  symbol: string,
  eventType: string,
  venueId: string,
  observedAtUs: number,
  encodePayload: PayloadEncoder<T>,
  payload: T,
): void {
  const writer = v1.Envelope.encode(
    {
      eventId: eventId(ctx.venue, symbol, eventType, venueId),
      eventType,
      venue: ctx.venue,
      symbol,
      observedAtUs,
      ingestedAtUs: ctx.ingestedAtUs,
      schemaVersion: SCHEMA_VERSION,
    },
    Writer.create(),
  );
  encodePayload(payload, writer.uint32(/* field 8, bytes */ 66).fork()).ldelim();
  writer.uint32(/* field 10, string */ 82).string(ctx.stream);
  out.push({ topic, key: seriesKey(ctx.venue, symbol), value: writer.finish() });
}
