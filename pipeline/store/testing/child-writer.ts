/**
 * A writer process for the crash and concurrency tests: commits batches of `batch` real BTCUSDT
 * trades (cycled, one day later per cycle) with contiguous seqs, continuing from what the store
 * holds, until killed. Prints `committed <version> <lastSeq>` after each commit.
 *
 * Usage: node --import tsx child-writer.ts <dataDir> <batch>
 */
import { parseStoreConfig } from '../config.ts';
import { createStoreReader } from '../reader/reader.ts';
import type { TradeRow } from '../types.ts';
import { createStoreWriter } from '../writer/writer.ts';
import { loadBinanceSpotTrades } from './recorded-trades.ts';

const [dataDir = '', batchArg = '200'] = process.argv.slice(2);
const batch = Number(batchArg);
const config = parseStoreConfig({
  dataDir,
  flush: { intervalMs: 0 },
  duckdb: { threads: 1 },
  lock: { staleMs: 5_000 },
});
const source = loadBinanceSpotTrades();
const DAY_US = 86_400_000_000;

const reader = await createStoreReader({}, config);
let next = (reader.describeSeries({ dataset: 'trades' })[0]?.maxSeq ?? 0) + 1;
reader.close();
const writer = await createStoreWriter({}, config);
process.on('SIGTERM', () => process.exit(0));

for (;;) {
  const rows: TradeRow[] = [];
  for (let k = 0; k < batch; k++, next++) {
    const t = source[(next - 1) % source.length]!;
    const cycle = Math.floor((next - 1) / source.length);
    rows.push({ ...t, seq: next, timeUs: t.timeUs + cycle * DAY_US });
  }
  await writer.appendTrades(rows);
  const version = await writer.flush();
  process.stdout.write(`committed ${version} ${next - 1}\n`);
}
