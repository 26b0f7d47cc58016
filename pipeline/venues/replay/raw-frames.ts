import type { RawFrame } from '../types.ts';
import { readAnyWsRecordingBatches } from './any-recording.ts';
import type { ReadLinesOptions } from './lines.ts';
import type { RecordedMessage } from './ws-recording.ts';

/** `btcusdt@depth@100ms` -> `BTCUSDT`. */
export function symbolOfStream(stream: string): string {
  const at = stream.indexOf('@');
  return (at === -1 ? stream : stream.slice(0, at)).toUpperCase();
}

/** A recorded message as the frame a venue adapter receives (bytes kept, receive time in µs). */
export function toRawFrame(message: RecordedMessage, symbol?: string): RawFrame {
  const frame = { data: message.bytes, receivedAtUs: Number(message.recvNs / 1000n) };
  return symbol === undefined ? frame : { ...frame, symbol };
}

/**
 * Streams recordings as adapter frames, in batches. A REST depth snapshot line does not name
 * its symbol, so it gets the symbol of the stream message before it (or, at the top of a
 * file, the one after it), so the adapter can route it.
 *
 * @example
 * for await (const frames of readRecordingAsRawFrames(files)) for (const f of frames) onFrame(f);
 */
export async function* readRecordingAsRawFrames(
  paths: readonly string[],
  options: ReadLinesOptions = {},
): AsyncGenerator<RawFrame[]> {
  let lastSymbol: string | undefined;
  let orphans: RecordedMessage[] = [];
  for await (const batch of readAnyWsRecordingBatches(paths, options)) {
    const out: RawFrame[] = [];
    for (const m of batch) {
      if (m.stream !== null) {
        lastSymbol = symbolOfStream(m.stream);
        for (const o of orphans) out.push(toRawFrame(o, lastSymbol));
        orphans = [];
        out.push(toRawFrame(m));
      } else if (m.kind === 'snapshot' && lastSymbol === undefined) {
        orphans.push(m);
      } else {
        out.push(toRawFrame(m, m.kind === 'snapshot' ? lastSymbol : undefined));
      }
    }
    if (out.length > 0) yield out;
  }
  if (orphans.length > 0) yield orphans.map((o) => toRawFrame(o));
}
