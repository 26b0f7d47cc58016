/**
 * Binance adapter hot path on the real spot BTCUSDT recording (19,904 trades, 99,574 frames):
 * trade frames normalized/s (JSON.parse + fast check + exact decimals + protobuf envelope),
 * all frames normalized/s, and raw ingest frames/s (byte scan + raw envelope).
 * Run: node --import tsx bench/binance-normalize.ts
 */
import type { BusRecord } from '../pipeline/bus/types.ts';
import { normalizeFrame, scanFrame, toRawRecord } from '../pipeline/venues/binance/index.ts';
import { readRecording } from '../pipeline/venues/binance/testing/recordings.ts';

const frames = [
  ...readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
  ...readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240809.gz'),
];
const upper = new Map<string, string>();
const infos = frames.map((f) => scanFrame(f, upper));
const trades = frames.filter((_, i) => infos[i]!.channel === 'trade');
const tradeInfos = infos.filter((i) => i.channel === 'trade');

/** Reports throughput per wall second and per CPU second (the machine is shared; CPU time is steadier). */
function timeIt(label: string, unit: string, run: () => number): void {
  run(); // warm-up
  const rounds = 5;
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) n += run();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(
    `${label}: ${fmt(n / wall)} ${unit}/s wall, ${fmt(n / cpu)} ${unit}/s per CPU-second (${n / rounds} per round)`,
  );
}

timeIt('normalize trades', 'trades', () => {
  const out: BusRecord[] = [];
  for (let i = 0; i < trades.length; i++) {
    const f = trades[i]!;
    normalizeFrame(
      f.data,
      { venue: 'BINANCE', stream: tradeInfos[i]!.stream, ingestedAtUs: f.receivedAtUs },
      out,
    );
  }
  return out.length;
});
timeIt('normalize all frames', 'frames', () => {
  const out: BusRecord[] = [];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    normalizeFrame(f.data, { venue: 'BINANCE', stream: infos[i]!.stream, ingestedAtUs: f.receivedAtUs }, out);
  }
  return frames.length;
});
timeIt('ingest (scan + raw envelope)', 'frames', () => {
  const cache = new Map<string, string>();
  let n = 0;
  for (const f of frames) {
    toRawRecord('BINANCE', f, scanFrame(f, cache));
    n++;
  }
  return n;
});
