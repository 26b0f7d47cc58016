/**
 * Time to compute every registered indicator (defaults) over the 10,999 real 5m
 * BTC/USDT candles of the TA-Lib reference file, after a warm-up pass.
 * Run: node --import tsx bench/indicators.ts
 */
import { computeIndicator, computeIndicators, listIndicators } from '../indicators/index.ts';
import { loadTalibReference } from '../indicators/reference-data.ts';

const { columns, rows } = loadTalibReference();
const bars = {
  open: columns.open!,
  high: columns.high!,
  low: columns.low!,
  close: columns.close!,
  volume: columns.volume!,
  time: columns.open_time_ms!.map((ms) => ms * 1000),
};
const indicators = listIndicators();

function runAll(): Map<string, number> {
  const times = new Map<string, number>();
  for (const info of indicators) {
    const t0 = performance.now();
    computeIndicator(info.name, bars);
    times.set(info.name, performance.now() - t0);
  }
  return times;
}

for (let i = 0; i < 20; i++) runAll(); // let V8 optimise
const passes = 50;
const totals = new Map<string, number>();
let wall = 0;
// CPU time too: on a shared, loaded machine wall time overstates the cost.
const cpu0 = process.cpuUsage();
for (let i = 0; i < passes; i++) {
  const t0 = performance.now();
  const times = runAll();
  wall += performance.now() - t0;
  for (const [name, ms] of times) totals.set(name, (totals.get(name) ?? 0) + ms);
}
const cpu = process.cpuUsage(cpu0);
const requests = indicators.map((i) => ({ name: i.name }));
for (let i = 0; i < 10; i++) computeIndicators(bars, requests);
const batch0 = process.cpuUsage();
for (let i = 0; i < passes; i++) computeIndicators(bars, requests);
const batchCpu = process.cpuUsage(batch0);
const slowest = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 5);
console.log(
  `${indicators.length} indicators x ${rows} bars: ${(wall / passes).toFixed(2)} ms wall, ` +
    `${((cpu.user + cpu.system) / 1000 / passes).toFixed(2)} ms CPU per full pass (mean of ${passes})`,
);
console.log(
  `computeIndicators (one input check): ${((batchCpu.user + batchCpu.system) / 1000 / passes).toFixed(2)} ms CPU per pass`,
);
console.log(`slowest: ${slowest.map(([n, ms]) => `${n} ${(ms / passes).toFixed(3)} ms`).join(', ')}`);
