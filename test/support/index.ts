/**
 * Shared test support: what every test may import (test files anywhere, and the `testing/`
 * helpers beside the code they serve); product code never does.
 *
 * - `until`: wait for a condition, with a message naming what was awaited on timeout.
 * - `recordedData`: the real recordings in ../shared/data, with an error naming a missing path;
 *   `loadBtcusdtTrades` and friends read the recorded trades and candles the processors are tested on.
 * - `./browser.ts` (imported on its own, it loads playwright-core): `launchChromium`, headless
 *   Debian Chromium installed by deploy/chromium/install.sh.
 * - `./serve-page.ts` (on its own, it loads esbuild): `serveBundledPage`, a browser entry bundled
 *   and served beside its HTML; `./canvas-pixels.ts` (runs in the page): `countCanvasPixels`.
 * - `onLines`: each line a child process prints, as it comes.
 * - `testRandom`: a seeded random source that prints its seed (QF_TEST_SEED replays it).
 *
 * Kafka for the suite is started by test/setup/ (vitest global setup), not here.
 */
export { onLines } from './lines.ts';
export { RECORDED_DATA_DIR, REPO_ROOT, RecordedDataMissing, recordedData } from './recorded-data.ts';
export {
  loadBtcusdtTrades,
  loadFreqtradeXrpethCandles,
  loadXrpethAggTrades,
  type RecordedTrade,
  type ReferenceCandle,
} from './recorded-trades.ts';
export { SEED_VARIABLE, type TestRandom, testRandom } from './seeded-random.ts';
export { type UntilOptions, until } from './until.ts';
