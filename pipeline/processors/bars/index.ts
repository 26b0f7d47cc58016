/**
 * Bars: trades → 1m bars (event-time watermark, grace, revisions, late routing) →
 * derived periods up to 1w, in streaming and batch (pure) forms.
 * @example
 * const bars = buildBars(trades, '1m'); // batch
 * const engine = createBarsEngine({ graceUs: 10_000_000 }); // streaming
 * engine.add('BINANCE:BTCUSDT', toBarTrade(seq, timeUs, price, qty, aggressor));
 * const { bars1m, derived } = engine.drain();
 */
export type {
  BarAddResult,
  BarBuilder,
  BarBuilderOptions,
  BarBuilderStats,
  BarUpdate,
} from './bar-builder.ts';
export { createBarBuilder } from './bar-builder.ts';
export type { BarState, BarTrade } from './bar-state.ts';
export { addTrade, mergeBar, newBar, SIDE_BUY, SIDE_SELL, toBarMessage, toBarTrade } from './bar-state.ts';
export type { BarsEngine, BarsEngineOptions, BarsOutput } from './bars-engine.ts';
export { createBarsEngine } from './bars-engine.ts';
export { buildBars, deriveBars } from './build-bars.ts';
export type { BarDeriver, BarDeriverOptions } from './derive.ts';
export { createBarDeriver } from './derive.ts';
