/**
 * ZeroMQ topic prefixes of the live feed. Every message is two frames: the topic (UTF-8) and a
 * protobuf `Envelope` whose payload is the named message. Subscribers filter by prefix, so
 * `trade.` is every trade, `trade.BINANCE.` every Binance spot trade, `bar.1m.` every forming
 * 1m bar. Declared in deploy/topics.yaml (`realtime:`), documented in docs/topics.md.
 */
export const ZMQ_TOPICS = {
  /** `trade.<VENUE>.<SYMBOL>`: a sequenced trade (payload Trade, envelope seq set). */
  trade: (venue: string, symbol: string): string => `trade.${venue}.${symbol}`,
  /** `bar.<period>.<VENUE>.<SYMBOL>`: a forming or final bar (payload Bar; `final`, `revision`). */
  bar: (period: string, venue: string, symbol: string): string => `bar.${period}.${venue}.${symbol}`,
  /** `book.<VENUE>.<SYMBOL>`: best bid and offer (payload BookTop). */
  book: (venue: string, symbol: string): string => `book.${venue}.${symbol}`,
  /** `ticker.<VENUE>.<SYMBOL>`: 24-hour rolling statistics (payload Ticker). */
  ticker: (venue: string, symbol: string): string => `ticker.${venue}.${symbol}`,
} as const;
