/**
 * Ingest: raw Binance frames -> `raw.<venue>.<channel>` envelopes holding the exact venue
 * bytes, produced in batches to the bus it was handed. The stream name and event time are
 * read by scanning the frame's bytes (Binance combined frames start `{"stream":"...`), so
 * ingest never JSON-parses the hot path; the normalizer parses each frame once, later.
 */
import type { Logger } from '../../../core/logger.ts';
import { EnvelopeCodec, EventType, eventId, SCHEMA_VERSION, seriesKey } from '../../../proto/index.ts';
import type { Bus, BusRecord } from '../../bus/types.ts';
import type { RawFrame } from '../types.ts';
import { createRawRecorder } from './raw-record.ts';
import { type BinanceChannel, DEPTH_SNAPSHOT_STREAM, parseStreamName, rawTopic } from './streams.ts';

/** What ingest learned about a frame without parsing it. */
export interface FrameInfo {
  /** Venue symbol, '' when the frame does not name one (all-market streams). */
  readonly symbol: string;
  /** Stream type, e.g. `trade`, `kline_1m`, `depthSnapshot`; '' when unknown. */
  readonly stream: string;
  readonly channel: BinanceChannel;
  /** Venue event time from the first `"E":` (else `"T":`), epoch µs; 0 when absent. */
  readonly observedAtUs: number;
}

const STREAM_PREFIX = Buffer.from('{"stream":"');
const SNAPSHOT_PREFIX = Buffer.from('{"lastUpdateId":');
const E_KEY = Buffer.from('"E":');
const T_KEY = Buffer.from('"T":');

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function startsWith(buf: Buffer, prefix: Buffer): boolean {
  return buf.length >= prefix.length && buf.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

/** The integer after `key` (e.g. `"E":1723161255343`), in ms -> µs; 0 when absent or not an integer. */
function scanTimeUs(buf: Buffer, key: Buffer): number {
  const at = buf.indexOf(key);
  if (at < 0) return 0;
  let ms = 0;
  let i = at + key.length;
  const start = i;
  for (; i < buf.length && i - start < 16; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    ms = ms * 10 + (c - 48);
  }
  return i === start ? 0 : ms * 1000;
}

/** Venue event time of a frame: the first `"E":`, else the first `"T":`, epoch µs; 0 when absent. */
function scanObservedUs(buf: Buffer): number {
  const e = scanTimeUs(buf, E_KEY);
  return e === 0 ? scanTimeUs(buf, T_KEY) : e;
}

/**
 * {@link scanObservedUs} of a combined-stream frame whose stream name (without quotes) is
 * `nameLength` bytes: no `"E":` can start inside the name, only at its opening quote (a name
 * `E`) or from its closing quote on. Looks in the next 96 bytes in JS, where trade and most
 * frames have it, before the native search of the whole frame; same result as scanning from 0.
 */
function scanObservedUsCombined(buf: Uint8Array, nameLength: number): number {
  const from = nameLength === 1 ? STREAM_PREFIX.length - 1 : STREAM_PREFIX.length + nameLength;
  const near = Math.min(buf.length - 3, from + 96);
  for (let i = from; i < near; i++) {
    if (buf[i] === 34 && buf[i + 1] === 69 && buf[i + 2] === 34 && buf[i + 3] === 58) {
      let ms = 0;
      let j = i + 4;
      const start = j;
      for (; j < buf.length && j - start < 16; j++) {
        const c = buf[j]!;
        if (c < 48 || c > 57) break;
        ms = ms * 10 + (c - 48);
      }
      if (j !== start) return ms * 1000;
      break; // `"E":` not followed by digits: as scanTimeUs, 0 -> try `"T":`
    }
  }
  return scanObservedUs(asBuffer(buf));
}

/**
 * Reads stream, symbol and event time from a frame. `upper` caches symbol upper-casing.
 * Frames that are not combined-stream messages fall back to one JSON.parse.
 */
export function scanFrame(frame: RawFrame, upper?: Map<string, string>): FrameInfo {
  const buf = asBuffer(frame.data);
  const observedAtUs = scanObservedUs(buf);
  if (startsWith(buf, STREAM_PREFIX)) {
    const end = buf.indexOf(34 /* " */, STREAM_PREFIX.length);
    if (end > STREAM_PREFIX.length) {
      const name = buf.toString('latin1', STREAM_PREFIX.length, end);
      const parsed = parseStreamName(name, upper);
      return { ...parsed, observedAtUs };
    }
  }
  if (startsWith(buf, SNAPSHOT_PREFIX)) {
    return {
      symbol: frame.symbol ?? '',
      stream: DEPTH_SNAPSHOT_STREAM,
      channel: 'depthSnapshot',
      observedAtUs,
    };
  }
  return scanSlow(buf, frame, observedAtUs, upper);
}

function scanSlow(
  buf: Buffer,
  frame: RawFrame,
  observedAtUs: number,
  upper?: Map<string, string>,
): FrameInfo {
  const unknown: FrameInfo = { symbol: frame.symbol ?? '', stream: '', channel: 'unknown', observedAtUs };
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8'));
  } catch {
    return unknown;
  }
  if (typeof parsed !== 'object' || parsed === null) return unknown;
  const obj = parsed as Record<string, unknown>;
  if (typeof obj.stream === 'string') return { ...parseStreamName(obj.stream, upper), observedAtUs };
  if ('lastUpdateId' in obj) {
    return {
      symbol: frame.symbol ?? '',
      stream: DEPTH_SNAPSHOT_STREAM,
      channel: 'depthSnapshot',
      observedAtUs,
    };
  }
  return unknown;
}

/** Builds the raw envelope record of a frame (pure). */
export function toRawRecord(venue: string, frame: RawFrame, info: FrameInfo): BusRecord {
  const symbol = info.symbol;
  return {
    topic: rawTopic(venue, info.channel),
    key: seriesKey(venue, symbol === '' ? '*' : symbol),
    value: EnvelopeCodec.encode({
      eventId: eventId(venue, symbol, EventType.raw, `${info.stream}:${frame.receivedAtUs}`),
      eventType: EventType.raw,
      venue,
      symbol,
      observedAtUs: info.observedAtUs,
      ingestedAtUs: frame.receivedAtUs,
      schemaVersion: SCHEMA_VERSION,
      raw: frame.data,
      stream: info.stream,
    }),
  };
}

/** Produced records at the front of the pending array that make it worth shifting the rest down. */
const COMPACT_AT = 16_384;

function ignore(): void {}

/** Options of {@link createBinanceIngest}. */
export interface BinanceIngestOptions {
  /** BINANCE, BINANCE_USDM or BINANCE_COINM. */
  readonly venue: string;
  /** Records per produce call. */
  readonly batchSize: number;
  /** Longest a record waits for its batch to fill, ms. */
  readonly lingerMs: number;
  /** Wait between produce retries after a bus failure, ms (default 500). */
  readonly retryDelayMs?: number;
}

/** Counters of an ingest. */
export interface BinanceIngestStats {
  frames: number;
  produced: number;
  produceErrors: number;
  pending: number;
  byChannel: Record<string, number>;
}

/** A running ingest: `push` frames in; `flush` resolves when all pushed frames are on the bus. */
export interface BinanceIngest {
  push(frame: RawFrame): void;
  flush(): Promise<void>;
  /** Flushes, then refuses further frames. Throws if the bus refused the last records. */
  close(): Promise<void>;
  stats(): Readonly<BinanceIngestStats>;
}

/**
 * Creates an ingest that turns frames into raw envelopes and produces them in batches.
 * A failed produce keeps its records and retries (nothing accepted is dropped); `close`
 * makes one last attempt and throws if the bus still refuses.
 */
export function createBinanceIngest(
  deps: { bus: Bus; logger?: Logger },
  options: BinanceIngestOptions,
): BinanceIngest {
  const { bus, logger } = deps;
  const upper = new Map<string, string>();
  const recorder = createRawRecorder(options.venue, upper);
  // Records not yet produced are pending[head..]; a batch is taken by moving head (and given
  // back on failure), so a backlog is not shifted down the array for every batch.
  const pending: BusRecord[] = [];
  let head = 0;
  const stats: BinanceIngestStats = { frames: 0, produced: 0, produceErrors: 0, pending: 0, byChannel: {} };
  let timer: NodeJS.Timeout | undefined;
  let loop: Promise<void> | undefined;
  let closing = false;
  let closed = false;

  async function run(): Promise<void> {
    while (pending.length > head) {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      const end = Math.min(head + options.batchSize, pending.length);
      const batch = pending.slice(head, end);
      head = end;
      try {
        await bus.produce(batch);
        stats.produced += batch.length;
        if (head === pending.length) {
          pending.length = 0;
          head = 0;
        } else if (head >= COMPACT_AT && head * 2 >= pending.length) {
          pending.splice(0, head);
          head = 0;
        }
      } catch (err) {
        head -= batch.length; // only run() moves head or shortens pending: the batch is still there
        stats.produceErrors++;
        logger?.warn({ err, records: batch.length, venue: options.venue }, 'raw produce failed; will retry');
        if (closing) throw err;
        await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 500));
      }
    }
  }

  function flush(): Promise<void> {
    if (loop === undefined) {
      loop = run().finally(() => {
        loop = undefined;
      });
    }
    return loop;
  }

  function push(frame: RawFrame): void {
    if (closed) throw new Error(`ingest ${options.venue} is closed; frame refused`);
    // Combined-stream frames take the cached-stream fast path; anything else the general one.
    const data = frame.data;
    const entry = recorder.entryOf(data);
    const fast =
      entry === undefined
        ? undefined
        : recorder.record(frame, entry, scanObservedUsCombined(data, entry.nameBytes.length));
    let channel: BinanceChannel;
    if (fast !== undefined && entry !== undefined) {
      pending.push(fast);
      channel = entry.channel;
    } else {
      const info = scanFrame(frame, upper);
      pending.push(toRawRecord(options.venue, frame, info));
      channel = info.channel;
    }
    stats.frames++;
    stats.byChannel[channel] = (stats.byChannel[channel] ?? 0) + 1;
    // A running loop takes what is pushed meanwhile: start one only when none runs.
    if (loop !== undefined) return;
    if (pending.length - head >= options.batchSize) void flush().catch(ignore);
    else if (timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        void flush().catch(ignore);
      }, options.lingerMs);
    }
  }

  return {
    push,
    flush: async function flushIngest() {
      // A loop started before may end while frames pushed meanwhile still wait: go again.
      while (pending.length > head || loop !== undefined) await flush();
    },
    close: async function closeIngest() {
      closing = true;
      try {
        while (pending.length > head || loop !== undefined) await flush();
      } finally {
        closed = true;
        if (timer !== undefined) clearTimeout(timer);
      }
    },
    stats: () => ({ ...stats, pending: pending.length - head, byChannel: { ...stats.byChannel } }),
  };
}
