/**
 * Dedup: drops venue trades already seen, per series, with bounded restorable state.
 * @example
 * const dedup = createDeduplicator({ windowIds: 65_536 });
 * if (dedup.check('BINANCE:BTCUSDT', trade.tradeId) === 'new') forward(trade);
 */
export type { Deduplicator, DedupOptions, DedupStats, DedupVerdict } from './dedup.ts';
export { createDeduplicator } from './dedup.ts';
