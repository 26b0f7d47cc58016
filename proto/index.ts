/**
 * Typed protobuf codecs for every QuantForge wire contract.
 *
 * The classes come from `proto/gen/` (generated from `proto/quantforge/v1/*.proto` by
 * `scripts/gen-proto.mjs` on `npm ci`). 64-bit fields are plain numbers (epoch
 * microseconds, sequence numbers); prices and sizes are exact decimal strings.
 *
 * @example
 * const bytes = TradeCodec.encode({ tradeId: '1', price: '61837.63', quantity: '0.001', timeUs });
 * const trade = TradeCodec.decode(bytes); // trade.price === '61837.63'
 */
import { quantforge } from './gen/quantforge.js';

const v1 = quantforge.v1;

export type EnvelopeInit = quantforge.v1.IEnvelope;
export type Envelope = quantforge.v1.Envelope;
export type TradeInit = quantforge.v1.ITrade;
export type Trade = quantforge.v1.Trade;
export type BookTopInit = quantforge.v1.IBookTop;
export type BookTop = quantforge.v1.BookTop;
export type TickerInit = quantforge.v1.ITicker;
export type Ticker = quantforge.v1.Ticker;
export type BarInit = quantforge.v1.IBar;
export type Bar = quantforge.v1.Bar;
export type SymbolInfoInit = quantforge.v1.ISymbolInfo;
export type SymbolInfo = quantforge.v1.SymbolInfo;
export type QuoteInit = quantforge.v1.IQuote;
export type Quote = quantforge.v1.Quote;
export type AlertInit = quantforge.v1.IAlert;
export type Alert = quantforge.v1.Alert;
export type BackfillCommandInit = quantforge.v1.IBackfillCommand;
export type BackfillCommand = quantforge.v1.BackfillCommand;
export type BackfillProgressInit = quantforge.v1.IBackfillProgress;
export type BackfillProgress = quantforge.v1.BackfillProgress;
export type ChatEventInit = quantforge.v1.IChatEvent;
export type ChatEvent = quantforge.v1.ChatEvent;
export type LogEventInit = quantforge.v1.ILogEvent;
export type LogEvent = quantforge.v1.LogEvent;
export type RecordPackInit = quantforge.v1.IRecordPack;
export type RecordPack = quantforge.v1.RecordPack;

export const Side = v1.Side;
export type Side = quantforge.v1.Side;
export const MarketType = v1.MarketType;
export type MarketType = quantforge.v1.MarketType;

/** `MarketType` values by the name people read and type (index = enum value). */
export const MARKET_TYPE_NAMES = ['unspecified', 'spot', 'perpetual', 'future', 'option'] as const;
export type MarketTypeName = (typeof MARKET_TYPE_NAMES)[number];

/** `1` → `spot`; a value this build does not know → `unknown(<n>)`. */
export function marketTypeName(value: number): string {
  return MARKET_TYPE_NAMES[value] ?? `unknown(${value})`;
}

/** Encodes and decodes one message type. `decode` throws on malformed bytes. */
export interface Codec<TInit, T> {
  readonly name: string;
  encode(value: TInit): Uint8Array;
  decode(bytes: Uint8Array): T;
}

interface GeneratedMessage<TInit, T> {
  encode(message: TInit): { finish(): Uint8Array };
  decode(reader: Uint8Array): T;
}

function toCodec<TInit, T>(name: string, type: GeneratedMessage<TInit, T>): Codec<TInit, T> {
  return {
    name,
    encode: (value) => type.encode(value).finish(),
    decode: (bytes) => type.decode(bytes),
  };
}

export const EnvelopeCodec = toCodec<EnvelopeInit, Envelope>('Envelope', v1.Envelope);
export const TradeCodec = toCodec<TradeInit, Trade>('Trade', v1.Trade);
export const BookTopCodec = toCodec<BookTopInit, BookTop>('BookTop', v1.BookTop);
export const TickerCodec = toCodec<TickerInit, Ticker>('Ticker', v1.Ticker);
export const BarCodec = toCodec<BarInit, Bar>('Bar', v1.Bar);
export const SymbolInfoCodec = toCodec<SymbolInfoInit, SymbolInfo>('SymbolInfo', v1.SymbolInfo);
export const QuoteCodec = toCodec<QuoteInit, Quote>('Quote', v1.Quote);
export const AlertCodec = toCodec<AlertInit, Alert>('Alert', v1.Alert);
export const BackfillCommandCodec = toCodec<BackfillCommandInit, BackfillCommand>(
  'BackfillCommand',
  v1.BackfillCommand,
);
export const BackfillProgressCodec = toCodec<BackfillProgressInit, BackfillProgress>(
  'BackfillProgress',
  v1.BackfillProgress,
);
export const ChatEventCodec = toCodec<ChatEventInit, ChatEvent>('ChatEvent', v1.ChatEvent);
export const LogEventCodec = toCodec<LogEventInit, LogEvent>('LogEvent', v1.LogEvent);
export const RecordPackCodec = toCodec<RecordPackInit, RecordPack>('RecordPack', v1.RecordPack);

/** The `event_type` of each payload, and the codec that reads it. */
export const EventType = {
  raw: 'raw',
  trade: 'trade',
  aggTrade: 'agg_trade',
  bookTop: 'book_top',
  ticker: 'ticker',
  bar: 'bar',
  symbolInfo: 'symbol_info',
  quote: 'quote',
  alert: 'alert',
  backfillCommand: 'backfill_command',
  backfillProgress: 'backfill_progress',
  chat: 'chat',
  log: 'log',
  /**
   * A clock tick on a processor's input topic (no payload): `observed_at_us` is wall-clock time,
   * and stateful processors advance their event-time watermarks to it, so a quiet minute is
   * closed by time, not only by the next trade. Published by live sources only.
   */
  tick: 'tick',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** Current payload schema version, written into every envelope. */
export const SCHEMA_VERSION = 1;

/**
 * The deterministic id of a venue event: the same venue trade always gives the same id.
 * @example eventId('BINANCE', 'BTCUSDT', 'trade', '3735683259') === 'BINANCE:BTCUSDT:trade:3735683259'
 */
export function eventId(venue: string, symbol: string, eventType: string, venueId: string): string {
  return `${venue}:${symbol}:${eventType}:${venueId}`;
}

/** The bus key of a series: events of one venue symbol stay in one partition, in order. */
export function seriesKey(venue: string, symbol: string): string {
  return `${venue}:${symbol}`;
}
