/**
 * The protobuf wire layout of the messages that hot paths write or read by hand instead of
 * through the generated codecs (proto/gen): Envelope and Trade (the Binance ingest and trade
 * normalizer, proto/trade-envelope.ts, the sequencer's `seq`) and RecordPack (the Kafka bus).
 * Field numbers come from proto/quantforge/v1/*.proto; each tag is the one-byte key
 * `(field << 3) | wire type` that precedes the field on the wire (every field here is below 16,
 * so its key is one byte). wire-layout.test.ts holds every name, number and wire type to the
 * .proto descriptor and to the bytes the generated codecs write.
 */

/** Protobuf wire types (the low three bits of a tag). */
export const WireType = {
  /** int32/64, uint32/64, bool, enum. */
  varint: 0,
  fixed64: 1,
  /** string, bytes, embedded message, packed repeated. */
  delimited: 2,
  fixed32: 5,
} as const;

/** The key of field `field` with wire type `wireType`: one byte for fields 1-15. */
export function tagOf(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

/** quantforge.v1.Envelope field numbers (envelope.proto). */
export const EnvelopeField = {
  eventId: 1,
  eventType: 2,
  venue: 3,
  symbol: 4,
  observedAtUs: 5,
  ingestedAtUs: 6,
  schemaVersion: 7,
  payload: 8,
  raw: 9,
  stream: 10,
  seq: 11,
} as const;

const { varint, delimited } = WireType;

/** quantforge.v1.Envelope tags: the byte before each field. */
export const EnvelopeTag = {
  eventId: tagOf(EnvelopeField.eventId, delimited),
  eventType: tagOf(EnvelopeField.eventType, delimited),
  venue: tagOf(EnvelopeField.venue, delimited),
  symbol: tagOf(EnvelopeField.symbol, delimited),
  observedAtUs: tagOf(EnvelopeField.observedAtUs, varint),
  ingestedAtUs: tagOf(EnvelopeField.ingestedAtUs, varint),
  schemaVersion: tagOf(EnvelopeField.schemaVersion, varint),
  payload: tagOf(EnvelopeField.payload, delimited),
  raw: tagOf(EnvelopeField.raw, delimited),
  stream: tagOf(EnvelopeField.stream, delimited),
  seq: tagOf(EnvelopeField.seq, varint),
} as const;

/** quantforge.v1.Trade field numbers (market.proto). */
export const TradeField = {
  tradeId: 1,
  price: 2,
  quantity: 3,
  quoteQuantity: 4,
  aggressor: 5,
  timeUs: 6,
  firstTradeId: 7,
  lastTradeId: 8,
  tradeCount: 9,
  bestMatch: 10,
} as const;

/** quantforge.v1.Trade tags: the byte before each field. */
export const TradeTag = {
  tradeId: tagOf(TradeField.tradeId, delimited),
  price: tagOf(TradeField.price, delimited),
  quantity: tagOf(TradeField.quantity, delimited),
  quoteQuantity: tagOf(TradeField.quoteQuantity, delimited),
  aggressor: tagOf(TradeField.aggressor, varint),
  timeUs: tagOf(TradeField.timeUs, varint),
  firstTradeId: tagOf(TradeField.firstTradeId, delimited),
  lastTradeId: tagOf(TradeField.lastTradeId, delimited),
  tradeCount: tagOf(TradeField.tradeCount, varint),
  bestMatch: tagOf(TradeField.bestMatch, varint),
} as const;

/** quantforge.v1.RecordPack field numbers (bus.proto). */
export const RecordPackField = {
  values: 1,
} as const;

/** quantforge.v1.RecordPack tags: the byte before each `values` entry. */
export const RecordPackTag = {
  values: tagOf(RecordPackField.values, delimited),
} as const;
