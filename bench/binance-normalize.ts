/**
 * Binance adapter hot path on the real spot BTCUSDT recording (19,904 trades, 99,574 frames),
 * in CPU µs per frame (`process.cpuUsage`, GC included; the machine is shared, CPU time is
 * steadier than wall time):
 * (a) ingest: `createBinanceIngest` turning trade frames into raw envelopes, produced to a
 *     capture bus (as bench/pipeline/e2e.ts `rawRecordsOf` does);
 * (b) normalize: the normalizer's `handleBatch` over those raw records as BusMessages
 *     (batches of 500, as a Kafka fetch hands them), trade frames and all frames.
 * Each line ends with a sha256 of the records made, so two versions of the code can be checked
 * to put the same bytes on the bus. On a busy machine the min is steadier than the median.
 * Run: node --import tsx bench/binance-normalize.ts [rounds]
 */
import { createHash } from 'node:crypto';
import type { Bus, BusMessage, BusRecord } from '../pipeline/bus/types.ts';
import {
  createBinanceIngest,
  createBinanceNormalizer,
  createFrameNormalizer,
  scanFrame,
} from '../pipeline/venues/binance/index.ts';
import { readRecording } from '../pipeline/venues/binance/testing/recordings.ts';
import type { RawFrame } from '../pipeline/venues/types.ts';

const rounds = Number(process.argv[2] ?? 7);
const frames = [
  ...readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
  ...readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240809.gz'),
];
const upper = new Map<string, string>();
const infos = frames.map((f) => scanFrame(f, upper));
const trades = frames.filter((_, i) => infos[i]!.channel === 'trade');
const tradeInfos = infos.filter((i) => i.channel === 'trade');

/** A bus that only keeps what is produced and counts dead letters. */
function captureBus(out: BusRecord[], dlq: { n: number }): Bus {
  const refuse = async (): Promise<never> => {
    throw new Error('capture bus: not supported');
  };
  return {
    kind: 'embedded',
    ensureTopics: async () => {},
    produce: async (records) => {
      for (const r of records) out.push(r);
    },
    subscribe: refuse,
    transform: refuse,
    deadLetter: async () => {
      dlq.n++;
    },
    readCompacted: refuse,
    close: async () => {},
  };
}

async function ingest(input: readonly RawFrame[]): Promise<BusRecord[]> {
  const out: BusRecord[] = [];
  const ing = createBinanceIngest(
    { bus: captureBus(out, { n: 0 }) },
    { venue: 'BINANCE', batchSize: 5000, lingerMs: 5 },
  );
  for (const f of input) ing.push(f);
  await ing.close();
  return out;
}

function asMessages(records: readonly BusRecord[]): BusMessage[] {
  return records.map((r, i) => ({ ...r, partition: 0, offset: String(i), timestamp: 0 }));
}

async function normalize(messages: readonly BusMessage[]): Promise<BusRecord[]> {
  const out: BusRecord[] = [];
  const dlq = { n: 0 };
  const normalizer = createBinanceNormalizer({ bus: captureBus([], dlq) }, { venues: ['BINANCE'] });
  for (let i = 0; i < messages.length; i += 500) {
    const batch = messages.slice(i, i + 500);
    for (const r of await normalizer.handleBatch({ topic: batch[0]!.topic, partition: 0, messages: batch }))
      out.push(r);
  }
  return out;
}

function digest(records: readonly BusRecord[]): string {
  const h = createHash('sha256');
  for (const r of records) {
    h.update(`${r.topic}|${r.key}|`);
    h.update(r.value);
  }
  return h.digest('hex').slice(0, 12);
}

/** Runs `work` `rounds` times after a warm-up; prints median and min CPU µs per unit. */
async function measure(label: string, units: number, work: () => Promise<BusRecord[]>): Promise<void> {
  const first = await work(); // warm-up, and the records whose digest is printed
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    await work();
    const c = process.cpuUsage(c0);
    samples.push((c.user + c.system) / units);
  }
  samples.sort((a, b) => a - b);
  const med = samples[Math.floor(samples.length / 2)]!;
  console.log(
    `${label.padEnd(34)} ${med.toFixed(2).padStart(6)} µs/frame CPU median, ${samples[0]!.toFixed(2)} min ` +
      `(${units} frames x ${rounds}; ${first.length} records, sha ${digest(first)})`,
  );
}

const rawTrades = await ingest(trades);
const rawAll = await ingest(frames);
const tradeMessages = asMessages(rawTrades);
const allMessages = asMessages(rawAll);

await measure('(a) ingest trade frames', trades.length, () => ingest(trades));
await measure('(a) ingest all frames', frames.length, () => ingest(frames));
await measure('(b) normalize trades (handleBatch)', trades.length, () => normalize(tradeMessages));
await measure('(b) normalize all (handleBatch)', frames.length, () => normalize(allMessages));
// One frame normalizer for every round, its caches warm (as the normalizer keeps its own).
const { normalizeFrame } = createFrameNormalizer();
await measure('normalizeFrame trades (pure core)', trades.length, async () => {
  const out: BusRecord[] = [];
  for (let i = 0; i < trades.length; i++) {
    const f = trades[i]!;
    normalizeFrame(
      f.data,
      { venue: 'BINANCE', stream: tradeInfos[i]!.stream, ingestedAtUs: f.receivedAtUs },
      out,
    );
  }
  return out;
});
