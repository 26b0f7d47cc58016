import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** Gunzip the stream; default: when the path ends in `.gz`. */
  readonly gzip?: boolean;
  /** Read buffer size in bytes (default 1 MiB): bigger chunks mean fewer line carries. */
  readonly highWaterMark?: number;
}

const NEWLINE = 10;
const CR = 13;

/** Opens `path` as a byte stream, gunzipping it when it is gzip. */
export function openByteStream(path: string, options: ReadLinesOptions = {}): Readable {
  const highWaterMark = options.highWaterMark ?? 1 << 20;
  const file = createReadStream(path, { highWaterMark });
  const gzip = options.gzip ?? path.endsWith('.gz');
  if (!gzip) return file;
  const gunzip = createGunzip({ chunkSize: highWaterMark });
  file.on('error', (err) => gunzip.destroy(err));
  return file.pipe(gunzip);
}

/**
 * Streams the lines of a (possibly gzipped) file in batches (one array per decoded chunk),
 * as Buffers without the line ending, skipping empty lines. Memory stays at about one
 * chunk: nothing loads the whole file. Batching keeps the per-line cost to an `indexOf`
 * and a `subarray` instead of one promise per line.
 *
 * Each Buffer is a view into a chunk the reader never reuses, so a consumer may keep it;
 * copy it only to let the rest of the chunk be collected.
 */
export async function* readLineBatches(
  path: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<Buffer[]> {
  let carry: Buffer | null = null;
  for await (const raw of openByteStream(path, options)) {
    const chunk = raw as Buffer;
    const batch: Buffer[] = [];
    let start = 0;
    let nl = chunk.indexOf(NEWLINE, 0);
    if (carry !== null) {
      if (nl === -1) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const line = trimCr(Buffer.concat([carry, chunk.subarray(0, nl)]));
      carry = null;
      if (line.length > 0) batch.push(line);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    while (nl !== -1) {
      const end = nl > start && chunk[nl - 1] === CR ? nl - 1 : nl;
      if (end > start) batch.push(chunk.subarray(start, end));
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) carry = chunk.subarray(start);
    if (batch.length > 0) yield batch;
  }
  if (carry !== null) {
    const line = trimCr(carry);
    if (line.length > 0) yield [line];
  }
}

/**
 * Streams the lines of a (possibly gzipped) file one by one; see {@link readLineBatches}.
 *
 * @example
 * for await (const line of readLines('btcusdt_20240808.gz')) count++;
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<Buffer> {
  for await (const batch of readLineBatches(path, options)) yield* batch;
}

function trimCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
}
