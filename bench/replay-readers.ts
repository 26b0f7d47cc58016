/**
 * Throughput of the replay readers on the real recordings in ../shared/data:
 * websocket recording lines/s (gunzip + line split + classify + recv_ns BigInt) and
 * CSV trades/s (gunzip + split + typed record with exact decimal strings).
 * Run: node --import tsx bench/replay-readers.ts
 */
import path from 'node:path';
import { readTradesCsvBatches, readWsRecordingBatches } from '../pipeline/venues/replay/index.ts';
import { recordedData } from '../test/support/index.ts';

const data = recordedData();
const ws = [
  path.join(data, 'binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
  path.join(data, 'binance-ws-recorded', 'spot', 'btcusdt_20240809.gz'),
  path.join(data, 'binance-ws-recorded', 'usdm', 'btcusdt_20240808.gz'),
];
const csv = [
  path.join(data, 'trades', 'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz'),
  path.join(data, 'trades', 'binance-usdm-BTCUSDT-trades-20240808T2354Z-20240808T2359Z.csv.gz'),
];

async function timeIt(label: string, unit: string, run: () => Promise<number>): Promise<void> {
  await run(); // warm-up
  const rounds = 5;
  let n = 0;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) n += await run();
  const s = (performance.now() - t0) / 1000;
  console.log(`${label}: ${Math.round(n / s).toLocaleString('en-US')} ${unit}/s (${n / rounds} per round)`);
}

await timeIt('ws recording reader', 'lines', async () => {
  let n = 0;
  for await (const batch of readWsRecordingBatches(ws)) n += batch.length;
  return n;
});
await timeIt('trades CSV reader', 'trades', async () => {
  let n = 0;
  for (const file of csv) for await (const batch of readTradesCsvBatches(file)) n += batch.length;
  return n;
});

// Venue simulator: frames/s a plain ws client receives at max speed (all streams of the
// two spot recordings, combined-stream frames).
const { createVenueSimulator } = await import('../pipeline/venues/simulator/index.ts');
const { default: WebSocket } = await import('ws');
const sim = createVenueSimulator({}, { wsRecordings: ws.slice(0, 2), speed: 'max', resume: 'restart' });
await sim.start();
await timeIt('simulator ws at max speed', 'frames', async () => {
  const client = new WebSocket(
    `${sim.wsUrl}/stream?streams=btcusdt@trade/btcusdt@bookTicker/btcusdt@depth@100ms`,
  );
  let n = 0;
  await new Promise<void>((resolve) => {
    client.on('message', () => {
      if (++n === 99573) {
        client.close();
        resolve();
      }
    });
  });
  return n;
});
await sim.stop();
