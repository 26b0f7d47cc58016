import { ReplayFormatError } from './errors.ts';
import { readLines } from './lines.ts';
import { classifyMessage, type RecordedMessage } from './ws-recording.ts';

const HEADER_SEP = ' <-> ';
const COLON = 58;

/** Epoch seconds as a decimal string (`1633998512.0633569`) -> exact epoch ns. */
export function secondsToNs(text: string): bigint {
  const dot = text.indexOf('.');
  const whole = dot === -1 ? text : text.slice(0, dot);
  const frac = dot === -1 ? '' : text.slice(dot + 1, dot + 10);
  return BigInt(whole) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
}

/**
 * Streams a cryptofeed websocket capture: a header line `<url> <-> <connect s>` (skipped;
 * a file may contain several after reconnects), then `<recv s float>: <json>` per message.
 * Yields the same {@link RecordedMessage} shape as the hftbacktest reader.
 */
export async function* readCryptofeedCapture(path: string): AsyncGenerator<RecordedMessage> {
  let lineNo = 0;
  for await (const line of readLines(path)) {
    lineNo++;
    const colon = line.indexOf(COLON);
    // "wss://..." has its colon right after the scheme; a message line has digits first.
    const first = line[0]!;
    if (first < 48 || first > 57) {
      if (line.includes(HEADER_SEP)) continue;
      throw new ReplayFormatError(path, lineNo, 'expected "<recv s>: <json>" or "<url> <-> <connect s>"');
    }
    if (colon === -1 || line[colon + 1] !== 32) {
      throw new ReplayFormatError(path, lineNo, 'expected "<recv s>: <json>"');
    }
    const recvNs = secondsToNs(line.toString('latin1', 0, colon));
    const bytes = line.subarray(colon + 2);
    const c = classifyMessage(bytes);
    yield { kind: c.kind, recvNs, stream: c.stream, eventMs: c.eventMs, bytes };
  }
}
