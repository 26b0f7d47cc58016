/**
 * What every venue adapter shares: the raw frame it receives, and the handle it returns.
 *
 * Implementers (`pipeline/venues/<venue>/index.ts`, `createXVenue(deps, config)`):
 * - required: `id`, `start()` (connect, subscribe, begin producing raw.* envelopes to the
 *   bus it was handed), `stop()` (disconnect, flush what was accepted, resolve when done);
 * - optional: `stats()` for health endpoints and metrics.
 */

/** One message as received from a venue, before any parsing. */
export interface RawFrame {
  /** The exact venue bytes (a websocket text frame, or one line of a recording). */
  readonly data: Uint8Array;
  /** Local receive time, epoch µs. Never used as event time, only as `ingested_at_us`. */
  readonly receivedAtUs: number;
  /** Venue symbol when the frame itself does not say it (e.g. a REST depth snapshot in a recording). */
  readonly symbol?: string;
}

/** Receives frames; must not throw and must not block (queue and return). */
export type FrameHandler = (frame: RawFrame) => void;

/** A running venue adapter. */
export interface Venue {
  /** Venue id, e.g. BINANCE, BINANCE_USDM. */
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Optional counters for health and metrics. */
  stats?(): Readonly<Record<string, unknown>>;
}
