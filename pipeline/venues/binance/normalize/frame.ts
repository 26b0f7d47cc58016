/**
 * The pure core of the normalizer: one raw frame in, normalized envelopes out, routed by a
 * channel-to-handler table (not an if-chain). JSON is parsed once per frame. A
 * {@link createFrameNormalizer} keeps its own caches (channel per stream, the trade-bytes path's).
 */
import type { BusRecord } from '../../../bus/types.ts';
import { type BinanceChannel, channelOf } from '../streams.ts';
import { normalizeAggTrade } from './agg-trade.ts';
import { normalizeBookTicker } from './book-ticker.ts';
import type { NormalizeContext, NormalizeFailure, NormalizeHandler } from './envelope.ts';
import { normalizeKline } from './kline.ts';
import { normalizeTicker } from './ticker.ts';
import { normalizeTrade } from './trade.ts';
import {
  createTradeBytesNormalizer,
  TRADE_BAIL,
  TRADE_PUSHED,
  type TradeBytesNormalizer,
} from './trade-bytes.ts';

/** Marks channels kept raw on purpose and not normalized yet (no DLQ, just counted). */
export const NOT_NORMALIZED = 'not_normalized' as const;

/**
 * How each channel is normalized. Depth updates and REST depth snapshots are kept in
 * `raw.<venue>.depth` as the source of truth for a future order-book builder; until that
 * exists they are counted as not normalized rather than dead-lettered. `unknown` has no
 * handler: such frames go to the DLQ as `unknown_stream`.
 */
export const CHANNEL_HANDLERS: Readonly<
  Record<BinanceChannel, NormalizeHandler | typeof NOT_NORMALIZED | null>
> = {
  trade: normalizeTrade,
  aggTrade: normalizeAggTrade,
  kline: normalizeKline,
  bookTicker: normalizeBookTicker,
  ticker: normalizeTicker,
  depth: NOT_NORMALIZED,
  depthSnapshot: NOT_NORMALIZED,
  unknown: null,
};

/** What happened to one frame. */
export type FrameOutcome =
  | { readonly kind: 'normalized'; readonly count: number }
  | { readonly kind: 'not_normalized' }
  | { readonly kind: 'failed'; readonly failure: NormalizeFailure };

const NORMALIZED_ONE: FrameOutcome = Object.freeze({ kind: 'normalized', count: 1 });
const NORMALIZED_NONE: FrameOutcome = Object.freeze({ kind: 'normalized', count: 0 });
const NOT_NORMALIZED_OUTCOME: FrameOutcome = Object.freeze({ kind: 'not_normalized' });

/** What one frame normalizer keeps between frames. */
interface FrameState {
  /** channelOf per stream string (the hot path sees a handful of streams). */
  readonly channels: Map<string, BinanceChannel>;
  readonly normalizeTradeBytes: TradeBytesNormalizer;
}

/** Normalizes frames; each has its own caches (see {@link createFrameNormalizer}). */
export interface FrameNormalizer {
  /**
   * Normalizes one raw Binance frame (a combined-stream message `{"stream","data"}` or a bare
   * payload), appending envelopes to `out`.
   * @example
   * const out: BusRecord[] = [];
   * createFrameNormalizer().normalizeFrame(frameBytes, { venue: 'BINANCE', stream: 'trade', ingestedAtUs }, out);
   */
  normalizeFrame(raw: Uint8Array | string, ctx: NormalizeContext, out: BusRecord[]): FrameOutcome;
  /**
   * {@link FrameNormalizer.normalizeFrame} of the frame at `raw[start, end)` (e.g. inside a raw
   * envelope's bytes, so nothing is copied or sliced). Trade frames of the common shape are read
   * and written as bytes (normalize/trade-bytes.ts); everything else is JSON-parsed once.
   */
  normalizeFrameAt(
    raw: Buffer | string,
    start: number,
    end: number,
    ctx: NormalizeContext,
    out: BusRecord[],
  ): FrameOutcome;
}

/** A new {@link FrameNormalizer}. */
export function createFrameNormalizer(): FrameNormalizer {
  const state: FrameState = { channels: new Map(), normalizeTradeBytes: createTradeBytesNormalizer() };
  return {
    normalizeFrame: (raw, ctx, out) => normalizeFrame(state, raw, ctx, out),
    normalizeFrameAt: (raw, start, end, ctx, out) => normalizeFrameAt(state, raw, start, end, ctx, out),
  };
}

/** channelOf, cached per stream string. */
function cachedChannel(channels: Map<string, BinanceChannel>, stream: string): BinanceChannel {
  let channel = channels.get(stream);
  if (channel === undefined) {
    channel = channelOf(stream);
    if (channels.size >= 4096) channels.clear();
    channels.set(stream, channel);
  }
  return channel;
}

function asBuffer(raw: Uint8Array): Buffer {
  return Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

function preview(text: string): string {
  return text.length > 80 ? `${JSON.stringify(text.slice(0, 80))}...` : JSON.stringify(text);
}

function normalizeFrame(
  s: FrameState,
  raw: Uint8Array | string,
  ctx: NormalizeContext,
  out: BusRecord[],
): FrameOutcome {
  if (typeof raw === 'string') return normalizeFrameAt(s, raw, 0, raw.length, ctx, out);
  return normalizeFrameAt(s, asBuffer(raw), 0, raw.length, ctx, out);
}

function normalizeFrameAt(
  s: FrameState,
  raw: Buffer | string,
  start: number,
  end: number,
  ctx: NormalizeContext,
  out: BusRecord[],
): FrameOutcome {
  const channel = cachedChannel(s.channels, ctx.stream);
  const handler = CHANNEL_HANDLERS[channel];
  if (handler === NOT_NORMALIZED) return NOT_NORMALIZED_OUTCOME;
  if (handler === null) {
    const what =
      ctx.stream === ''
        ? 'frame names no stream (not a combined-stream message {"stream","data"})'
        : `no normalizer for stream "${ctx.stream}"`;
    return {
      kind: 'failed',
      failure: {
        code: 'unknown_stream',
        message: `${what}; normalized streams are trade, aggTrade, kline_<interval>, bookTicker, ticker, !ticker@arr, !bookTicker`,
      },
    };
  }
  if (channel === 'trade' && typeof raw !== 'string') {
    const done = s.normalizeTradeBytes(raw, start, end, ctx, out);
    if (done !== TRADE_BAIL) return done === TRADE_PUSHED ? NORMALIZED_ONE : NORMALIZED_NONE;
  }
  const text =
    typeof raw === 'string'
      ? start === 0 && end === raw.length
        ? raw
        : raw.slice(start, end)
      : raw.toString('utf8', start, end);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      kind: 'failed',
      failure: { code: 'malformed_json', message: `${why}; frame starts ${preview(text)}` },
    };
  }
  // Combined streams wrap the payload; single-stream connections (/ws/<stream>) do not.
  let data = parsed;
  if (typeof parsed === 'object' && parsed !== null && 'data' in parsed && 'stream' in parsed) {
    data = (parsed as { data: unknown }).data;
  }
  const before = out.length;
  const failure = handler(data, ctx, out);
  if (failure !== undefined) {
    out.length = before;
    return { kind: 'failed', failure: { code: failure.code, message: `${ctx.stream}: ${failure.message}` } };
  }
  const count = out.length - before;
  return count === 1 ? NORMALIZED_ONE : count === 0 ? NORMALIZED_NONE : { kind: 'normalized', count };
}
