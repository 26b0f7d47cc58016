/**
 * What arrives on a Binance websocket, told apart cheaply: data frames (combined-stream
 * `{"stream":...}`), replies to our SUBSCRIBE/UNSUBSCRIBE (`{"result":null,"id":1}`,
 * `{"error":{...},"id":1}`), and anything else (handed on; ingest routes it to
 * `raw.<venue>.unknown`, where the normalizer dead-letters it with a reason). Also the
 * reconnect backoff.
 */
import type WebSocket from 'ws';

const STREAM_PREFIX = Buffer.from('{"stream"');

/** The bytes of a `ws` message as one Buffer (no copy when it already is one). */
export function toBuffer(data: WebSocket.RawData): Buffer {
  return Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** How a message is handled. */
export type MessageKind = 'data' | 'reply' | 'error-reply' | 'other';

/** Classifies a text message; only non-data messages are parsed. */
export function classifyMessage(buf: Buffer): MessageKind {
  if (buf.length > 9 && buf.compare(STREAM_PREFIX, 0, 9, 0, 9) === 0) return 'data';
  try {
    const msg = JSON.parse(buf.toString('utf8')) as unknown;
    if (typeof msg === 'object' && msg !== null && 'id' in msg) {
      if ('error' in msg) return 'error-reply';
      if ('result' in msg) return 'reply';
    }
  } catch {
    // not JSON
  }
  return 'other';
}

/** Reconnect policy: first delay, ceiling, and the fraction randomised away. */
export interface ReconnectPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
}

/** Backoff before reconnect attempt `attempt` (0-based): exponential, capped, jittered. */
export function reconnectDelayMs(attempt: number, policy: ReconnectPolicy, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (1 - policy.jitter * random()));
}
