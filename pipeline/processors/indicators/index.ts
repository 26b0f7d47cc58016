/**
 * Streaming indicators on final bars: MA(5) and MA(20) by default, pluggable by kind.
 * @example
 * const ind = createIndicatorEngine({ indicators: [{ kind: 'sma', period: 20 }] });
 * for (const u of bars1m) out.push(...ind.onBar(u.series, u.bar));
 */
export type { IndicatorEngine, IndicatorEngineOptions, IndicatorValue } from './indicator-engine.ts';
export { createIndicatorEngine, createIndicatorRegistry, DEFAULT_INDICATORS } from './indicator-engine.ts';
export { createSma } from './sma.ts';
export type { IndicatorFactory, IndicatorSpec, StreamingIndicator } from './types.ts';
