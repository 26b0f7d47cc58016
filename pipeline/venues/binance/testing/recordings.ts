/**
 * Test support: reads the real recordings in ../shared/data (never copied into the repo) and
 * a capture Bus that keeps what was produced and dead-lettered.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { recordedData } from '../../../../test/support/index.ts';
import type { Bus, BusMessage, BusRecord, DeadLetterReason } from '../../../bus/types.ts';
import type { RawFrame } from '../../types.ts';

/**
 * test/support's `recordedData` under the name the normalizer tests import (they are being
 * changed in parallel; they move to `recordedData` with them).
 */
export const sharedData = recordedData;

/** Lines `<recv_ns> <json>` of an hftbacktest recording, as frames (receive time ns -> µs). */
export function readRecording(...parts: string[]): RawFrame[] {
  const buf = gunzipSync(readFileSync(recordedData(...parts)));
  const frames: RawFrame[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    const space = buf.indexOf(32, start);
    if (space > start && space < end) {
      const ns = buf.toString('latin1', start, space);
      frames.push({ data: buf.subarray(space + 1, end), receivedAtUs: Number(BigInt(ns) / 1000n) });
    }
    start = end + 1;
  }
  return frames;
}

/** The `message` of each line of ws-messages/binance-stream-samples-crypto-msg-parser.jsonl. */
export function readCryptoMsgParserSamples(): { kind: string; market: string; message: unknown }[] {
  const text = readFileSync(
    recordedData('ws-messages', 'binance-stream-samples-crypto-msg-parser.jsonl'),
    'utf8',
  );
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { kind: string; market: string; message: unknown });
}

/** Raw JSON texts of a cryptofeed capture (`<recv s>: <json>` lines after the URL line). */
export function readCryptofeedCapture(file: string): string[] {
  const text = readFileSync(recordedData('ws-messages', file), 'utf8');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const i = line.indexOf(': {');
    if (i > 0 && !line.startsWith('wss://')) out.push(line.slice(i + 2));
  }
  return out;
}

/** A Bus that records produce/deadLetter calls; the other methods are not used by the adapter. */
export interface CaptureBus extends Bus {
  readonly produced: BusRecord[];
  readonly deadLettered: { message: BusMessage; reason: DeadLetterReason }[];
  produceCalls: number;
  /** Make the next `n` produce calls fail. */
  failNext(n: number): void;
}

export function createCaptureBus(): CaptureBus {
  let failures = 0;
  const bus: CaptureBus = {
    kind: 'embedded',
    produced: [],
    deadLettered: [],
    produceCalls: 0,
    failNext(n) {
      failures = n;
    },
    async ensureTopics() {},
    async produce(records) {
      bus.produceCalls++;
      if (failures > 0) {
        failures--;
        throw new Error('broker unavailable (test)');
      }
      bus.produced.push(...records);
    },
    async subscribe() {
      throw new Error('not used');
    },
    async transform() {
      throw new Error('not used');
    },
    async deadLetter(message, reason) {
      bus.deadLettered.push({ message, reason });
    },
    async readCompacted() {
      return new Map();
    },
    async close() {},
  };
  return bus;
}
