/**
 * Shared shell helpers: which series a normalized trade envelope belongs to, and the
 * reading of its payload. Plain trades and aggTrades of one symbol have separate id
 * spaces, so an aggTrade series carries a ":agg" suffix (the bus key stays VENUE:SYMBOL).
 */
import { EventType, seriesKey } from '../../../proto/index.ts';
import {
  createTradeEnvelopeReader,
  MalformedEnvelopeError,
  type TradeEnvelope,
  type TradeFields,
} from '../../../proto/trade-envelope.ts';
import { varintSize, writeVarint } from '../../../proto/wire.ts';
import { EnvelopeTag } from '../../../proto/wire-layout.ts';

/** A decoded norm.trade / norm.trade.sequenced record: its trade and the series it belongs to. */
export interface TradeRecord {
  readonly trade: TradeFields;
  readonly series: string;
}

/** Why a record could not be read (becomes a dead-letter reason). */
export class UnreadableRecord extends Error {
  override readonly name = 'UnreadableRecord';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads envelopes holding a Trade in one pass (proto/trade-envelope.ts), filling one record
 * again and again: what `read` returns is valid until its next call. Throws UnreadableRecord
 * saying what was wrong.
 */
export interface TradeRecordReader {
  read(value: Uint8Array): TradeRecord;
}

/** A new {@link TradeRecordReader}. */
export function createTradeRecordReader(): TradeRecordReader {
  const envelopes = createTradeEnvelopeReader();
  // The envelope reader fills one object, so its trade is the same object every time: only the
  // series changes from record to record.
  let record: { readonly trade: TradeFields; series: string } | undefined;
  // The last series key built: venue, symbol and type strings repeat (the reader interns them).
  let last = { venue: '', symbol: '', eventType: '', series: '' };

  function seriesOf(e: TradeEnvelope): string {
    if (e.venue === last.venue && e.symbol === last.symbol && e.eventType === last.eventType)
      return last.series;
    const base = seriesKey(e.venue, e.symbol);
    const series = e.eventType === EventType.aggTrade ? `${base}:agg` : base;
    last = { venue: e.venue, symbol: e.symbol, eventType: e.eventType, series };
    return series;
  }

  return {
    read(value) {
      let envelope: TradeEnvelope;
      try {
        envelope = envelopes.read(value);
      } catch (error) {
        if (!(error instanceof MalformedEnvelopeError)) throw error;
        throw error.part === 'payload'
          ? new UnreadableRecord('malformed_payload', `payload is not a Trade: ${error.message}`)
          : new UnreadableRecord('malformed_envelope', `not an Envelope: ${error.message}`);
      }
      if (envelope.eventType !== EventType.trade && envelope.eventType !== EventType.aggTrade) {
        throw new UnreadableRecord(
          'unexpected_event_type',
          `event_type ${JSON.stringify(envelope.eventType)}; expected "${EventType.trade}" or "${EventType.aggTrade}"`,
        );
      }
      if (!envelope.venue || !envelope.symbol)
        throw new UnreadableRecord('schema', 'envelope has no venue or symbol');
      const series = seriesOf(envelope);
      if (record === undefined) record = { trade: envelope.trade, series };
      else record.series = series;
      return record;
    },
  };
}

/** A venue id of 1–15 digits as a number (exact), else NaN. */
export function toIntegerId(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15) return Number.NaN;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Restores per-series state from a compacted changelog topic. */
export async function restoreFromChangelog(
  read: (topic: string) => Promise<Map<string, Uint8Array>>,
  topic: string,
  restore: (series: string, bytes: Uint8Array) => void,
): Promise<number> {
  const entries = await read(topic);
  for (const [series, bytes] of entries) restore(series, bytes);
  return entries.size;
}

/**
 * The envelope bytes with `seq` set, without re-encoding: protobuf lets a later occurrence
 * of a scalar field override an earlier one, so appending `seq` to the original bytes is
 * the same message with seq = `seq` (the input's seq is 0, i.e. absent, anyway).
 */
export function withSeq(value: Uint8Array, seq: number): Uint8Array {
  // A Buffer, not a plain Uint8Array: protobufjs decodes strings from a Buffer natively
  // (utf8Slice) and from a Uint8Array in JS, and every downstream stage decodes this record.
  const out = Buffer.allocUnsafe(value.length + 1 + varintSize(seq));
  out.set(value, 0);
  out[value.length] = EnvelopeTag.seq;
  writeVarint(out, value.length + 1, seq);
  return out;
}
