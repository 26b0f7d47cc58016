/**
 * Keeps the processors' changelog topics (`state.*`) across runs of the embedded bus, which
 * lives in memory: saved to `<dataDir>/_state/<topic>.bin` when the pipeline stops, produced
 * back into the fresh bus before the processors start (they restore from those topics as they
 * would from Kafka). Without this, a second `quantforge ingest` into the same store would
 * restart every series at seq 1 and forget which trades it had seen. On Kafka the topics
 * themselves are durable and this is not used.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERTS_TOPICS } from '../alerts/stage.ts';
import type { Bus } from '../bus/types.ts';
import { PROCESSOR_TOPICS } from '../processors/index.ts';

/**
 * The processors' changelog topics: what an embedded run must keep between runs (the alerts
 * stage's too: without it a `once` rule that fired would fire again after a restart).
 */
export const PROCESSOR_STATE_TOPICS: readonly string[] = [
  PROCESSOR_TOPICS.stateDedup,
  PROCESSOR_TOPICS.stateSequencer,
  PROCESSOR_TOPICS.stateBars,
  ALERTS_TOPICS.state,
];

const MAGIC = 0x51465331; // "QFS1"

function encode(entries: Map<string, Uint8Array>): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.writeUInt32BE(MAGIC, 0);
  head.writeUInt32BE(entries.size, 4);
  parts.push(head);
  for (const [key, value] of entries) {
    const k = Buffer.from(key, 'utf8');
    const lengths = Buffer.alloc(8);
    lengths.writeUInt32BE(k.length, 0);
    lengths.writeUInt32BE(value.length, 4);
    parts.push(lengths, k, Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(parts);
}

function decode(bytes: Buffer, file: string): [string, Uint8Array][] {
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== MAGIC)
    throw new Error(`${file}: not a QuantForge state file`);
  const count = bytes.readUInt32BE(4);
  const out: [string, Uint8Array][] = [];
  let pos = 8;
  for (let i = 0; i < count; i++) {
    const kl = bytes.readUInt32BE(pos);
    const vl = bytes.readUInt32BE(pos + 4);
    pos += 8;
    const key = bytes.toString('utf8', pos, pos + kl);
    pos += kl;
    out.push([key, new Uint8Array(bytes.subarray(pos, pos + vl))]);
    pos += vl;
  }
  return out;
}

/** Produces saved state records back into `bus` (missing files: nothing to restore). */
export async function loadStateTopics(
  bus: Bus,
  dataDir: string,
  topics: readonly string[] = PROCESSOR_STATE_TOPICS,
): Promise<number> {
  let restored = 0;
  for (const topic of topics) {
    const file = join(dataDir, '_state', `${topic}.bin`);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    const entries = decode(bytes, file);
    await bus.produce(entries.map(([key, value]) => ({ topic, key, value })));
    restored += entries.length;
  }
  return restored;
}

/** Writes the current content of each state topic to its file (atomically: temp + rename). */
export async function saveStateTopics(
  bus: Bus,
  dataDir: string,
  topics: readonly string[] = PROCESSOR_STATE_TOPICS,
): Promise<void> {
  const dir = join(dataDir, '_state');
  mkdirSync(dir, { recursive: true });
  for (const topic of topics) {
    const entries = await bus.readCompacted(topic);
    const file = join(dir, `${topic}.bin`);
    writeFileSync(`${file}.tmp`, encode(entries));
    renameSync(`${file}.tmp`, file);
  }
}
