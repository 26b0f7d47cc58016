/**
 * The pure core of the normalizer: one raw frame in, normalized envelopes out, routed by a
 * channel-to-handler table (not an if-chain). JSON is parsed once per frame.
 */
import type { BusRecord } from '../../../bus/types.ts';
import { type BinanceChannel, channelOf } from '../streams.ts';
import { normalizeAggTrade } from './agg-trade.ts';
import { normalizeBookTicker } from './book-ticker.ts';
import type { NormalizeContext, NormalizeFailure, NormalizeHandler } from './envelope.ts';
import { normalizeKline } from './kline.ts';
import { normalizeTicker } from './ticker.ts';
import { normalizeTrade } from './trade.ts';

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

function toText(raw: Uint8Array | string): string {
  if (typeof raw === 'string') return raw;
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
}

function preview(text: string): string {
  return text.length > 80 ? `${JSON.stringify(text.slice(0, 80))}...` : JSON.stringify(text);
}

/**
 * Normalizes one raw Binance frame (a combined-stream message `{"stream","data"}` or a bare
 * payload), appending envelopes to `out`.
 * @example
 * const out: BusRecord[] = [];
 * normalizeFrame(frameBytes, { venue: 'BINANCE', stream: 'trade', ingestedAtUs }, out);
 */
export function normalizeFrame(
  raw: Uint8Array | string,
  ctx: NormalizeContext,
  out: BusRecord[],
): FrameOutcome {
  const channel = channelOf(ctx.stream);
  const handler = CHANNEL_HANDLERS[channel];
  if (handler === NOT_NORMALIZED) return { kind: 'not_normalized' };
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
  const text = toText(raw);
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
  return { kind: 'normalized', count: out.length - before };
}
