/**
 * /api/candles for 1,000 bars through the gateway API's app.request(): from the live-bar cache and from the store, p50/p99.
 *
 * Usage: npm run bench -- gateway-candles [calls=300]
 * Fills a temp store from ../shared/data (BINANCE:BTCUSDT 5m klines of 2023) and asks for 1,000
 * of them by range, each call a window one bar later than the last (500 windows), so the store
 * answers each from Parquet rather than its result cache; the cache run has those bars fed into
 * the live-bar cache first.
 */
import { performance } from 'node:perf_hooks';
import { createLiveBarCache } from '../gateway/api/index.ts';
import { apiApp, apiFixture } from '../gateway/api/testing/api-app.ts';

const calls = Number(process.argv[2] ?? 300);
const S = { venue: 'BINANCE', symbol: 'BTCUSDT' };
const FROM_US = Date.UTC(2023, 0, 10) * 1000;
const BAR_US = 5 * 60_000_000;
/** Window `i` starts `i` bars later, so no two calls ask the same (the store's result cache would answer). */
const WINDOWS = 500;
const path = (i: number): string => {
  const from = FROM_US + (i % WINDOWS) * BAR_US;
  return `/api/candles?symbol=BTCUSDT&interval=5m&from=${from / 1e6}&to=${(from + 1000 * BAR_US) / 1e6}`;
};
const HEADERS = { 'x-test-user': 'bench' };

async function measure(label: string, app: ReturnType<typeof apiApp>, wantFromCache: number): Promise<void> {
  let call = 0;
  const once = async (): Promise<void> => {
    const res = await app.request(path(call++), { headers: HEADERS });
    const body = (await res.json()) as { bars: unknown[] };
    if (res.status !== 200 || body.bars.length !== 1000)
      throw new Error(`${label}: ${res.status} ${body.bars?.length}`);
    if (Number(res.headers.get('x-bars-from-cache')) !== wantFromCache)
      throw new Error(`${label}: wrong source`);
  };
  for (let i = 0; i < Math.min(30, calls); i++) await once();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
  process.stdout.write(
    `${label.padEnd(36)} n=${String(calls).padEnd(5)} p50 ${q(0.5).padStart(7)} ms   p99 ${q(0.99).padStart(7)} ms\n`,
  );
}

const fixture = await apiFixture();
try {
  const liveBars = createLiveBarCache({ capacity: 1000 + WINDOWS });
  for (const b of await fixture.reader.getBars({
    ...S,
    period: '5m',
    fromUs: FROM_US,
    toUs: FROM_US + (1000 + WINDOWS) * BAR_US,
  })) {
    liveBars.update({ ...S, ...b });
  }
  await measure('/api/candles 1000 bars, from store', apiApp(fixture.deps), 0);
  await measure('/api/candles 1000 bars, from cache', apiApp({ ...fixture.deps, liveBars }), 1000);
} finally {
  fixture.cleanup();
}
