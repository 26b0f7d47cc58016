import { open } from 'node:fs/promises';
import { readCryptofeedCapture } from './cryptofeed.ts';
import type { ReadLinesOptions } from './lines.ts';
import { type RecordedMessage, readWsRecordingBatches } from './ws-recording.ts';

/** The websocket capture formats the readers know. */
export type RecordingFormat = 'hftbacktest' | 'cryptofeed';

/**
 * Tells a capture's format from its first bytes: gzip or `<digits> {` is an hftbacktest
 * recording; `wss://… <-> …` opens a cryptofeed capture.
 */
export async function detectRecordingFormat(path: string): Promise<RecordingFormat> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await file.read(head, 0, 8, 0);
    const text = head.toString('latin1', 0, bytesRead);
    if (head[0] === 0x1f && head[1] === 0x8b) return 'hftbacktest';
    if (text.startsWith('ws')) return 'cryptofeed';
    return 'hftbacktest';
  } finally {
    await file.close();
  }
}

/**
 * Streams websocket captures of either format, file after file, in batches (cryptofeed
 * captures are small: their batches are a few hundred messages).
 */
export async function* readAnyWsRecordingBatches(
  paths: readonly string[],
  options: ReadLinesOptions = {},
): AsyncGenerator<RecordedMessage[]> {
  for (const path of paths) {
    if ((await detectRecordingFormat(path)) === 'hftbacktest') {
      yield* readWsRecordingBatches(path, options);
      continue;
    }
    let batch: RecordedMessage[] = [];
    for await (const m of readCryptofeedCapture(path)) {
      batch.push(m);
      if (batch.length === 1024) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}
