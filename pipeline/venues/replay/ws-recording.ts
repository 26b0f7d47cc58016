import { ReplayFormatError } from './errors.ts';
import { type ReadLinesOptions, readLineBatches } from './lines.ts';

/**
 * What a recorded line holds: a combined-stream message (`{"stream":…,"data":…}`), the
 * plain REST depth snapshot the recorder fetched after connecting (`{"lastUpdateId":…}`),
 * or anything else (e.g. a `{"result":null,"id":1}` reply), kept rather than dropped.
 */
export type RecordedKind = 'stream' | 'snapshot' | 'other';

/** One line of a websocket recording. */
export interface RecordedMessage {
  readonly kind: RecordedKind;
  /** Local receive time, epoch ns (the recorder's clock; ~1.27 s behind Binance here). */
  readonly recvNs: bigint;
  /** Stream name (`btcusdt@trade`) for combined-stream messages, else null. */
  readonly stream: string | null;
  /** Venue event time in ms: `E`, else `T`; null when the message has neither (spot bookTicker). */
  readonly eventMs: number | null;
  /** The exact JSON bytes as received (the whole combined-stream message). */
  readonly bytes: Buffer;
}

const SPACE = 32;
const QUOTE = 34;
const STREAM_PREFIX = Buffer.from('{"stream":"');
const DATA_INFIX = Buffer.from('","data":');
const SNAPSHOT_PREFIX = Buffer.from('{"lastUpdateId"');
const E_KEY = Buffer.from('"E":');
const T_KEY = Buffer.from('"T":');

function startsWith(buf: Buffer, prefix: Buffer, at = 0): boolean {
  if (buf.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[at + i] !== prefix[i]) return false;
  return true;
}

/** Reads the unsigned integer after `key` (e.g. `"E":`), or null when the key is absent. */
export function readIntField(bytes: Buffer, key: Buffer, from = 0): number | null {
  const at = bytes.indexOf(key, from);
  if (at === -1) return null;
  let i = at + key.length;
  let n = 0;
  let digits = 0;
  for (; i < bytes.length; i++) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
    digits++;
  }
  return digits === 0 ? null : n;
}

/**
 * Classifies one JSON message: its kind, stream name and venue event time, without a
 * full JSON parse (a prefix check, one `indexOf` for the stream end, one for `"E":`).
 */
export function classifyMessage(bytes: Buffer): Omit<RecordedMessage, 'recvNs' | 'bytes'> {
  if (startsWith(bytes, STREAM_PREFIX)) {
    const end = bytes.indexOf(QUOTE, STREAM_PREFIX.length);
    if (end !== -1 && startsWith(bytes, DATA_INFIX, end)) {
      const stream = bytes.toString('latin1', STREAM_PREFIX.length, end);
      const from = end + DATA_INFIX.length;
      const eventMs = readIntField(bytes, E_KEY, from) ?? readIntField(bytes, T_KEY, from);
      return { kind: 'stream', stream, eventMs };
    }
  }
  if (startsWith(bytes, SNAPSHOT_PREFIX)) return { kind: 'snapshot', stream: null, eventMs: null };
  return { kind: 'other', stream: null, eventMs: null };
}

/**
 * The `data` bytes of a combined-stream message: what Binance sends on a raw `/ws/<stream>`
 * connection. Returns a view, no copy.
 */
export function streamPayload(message: RecordedMessage): Buffer {
  if (message.stream === null) return message.bytes;
  const from = STREAM_PREFIX.length + Buffer.byteLength(message.stream, 'latin1') + DATA_INFIX.length;
  return message.bytes.subarray(from, message.bytes.length - 1);
}

function parseRecvNs(line: Buffer, space: number, file: string, lineNo: number): bigint {
  for (let i = 0; i < space; i++) {
    const c = line[i]!;
    if (c < 48 || c > 57) {
      throw new ReplayFormatError(file, lineNo, 'expected "<recv_ns> <json>" (recv_ns: epoch nanoseconds)');
    }
  }
  return BigInt(line.toString('latin1', 0, space));
}

/**
 * Streams an hftbacktest websocket recording (`<recv_ns> <json>` per line, gzip or plain),
 * one batch per decoded chunk. Several paths are read in order, as one recording.
 */
export async function* readWsRecordingBatches(
  paths: string | readonly string[],
  options: ReadLinesOptions = {},
): AsyncGenerator<RecordedMessage[]> {
  for (const file of typeof paths === 'string' ? [paths] : paths) {
    let lineNo = 0;
    for await (const lines of readLineBatches(file, options)) {
      const out: RecordedMessage[] = new Array(lines.length);
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        lineNo++;
        const space = line.indexOf(SPACE);
        if (space <= 0) {
          throw new ReplayFormatError(file, lineNo, 'expected "<recv_ns> <json>", found no space');
        }
        const recvNs = parseRecvNs(line, space, file, lineNo);
        const bytes = line.subarray(space + 1);
        const c = classifyMessage(bytes);
        out[i] = { kind: c.kind, recvNs, stream: c.stream, eventMs: c.eventMs, bytes };
      }
      yield out;
    }
  }
}

/**
 * Streams an hftbacktest websocket recording message by message.
 *
 * @example
 * for await (const m of readWsRecording(['spot/btcusdt_20240808.gz', 'spot/btcusdt_20240809.gz'])) {
 *   if (m.kind === 'snapshot') book.reset(JSON.parse(m.bytes.toString()));
 *   else if (m.stream === 'btcusdt@trade') onTrade(m.bytes);
 * }
 */
export async function* readWsRecording(
  paths: string | readonly string[],
  options: ReadLinesOptions = {},
): AsyncGenerator<RecordedMessage> {
  for await (const batch of readWsRecordingBatches(paths, options)) yield* batch;
}
