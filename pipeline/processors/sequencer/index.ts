/**
 * Sequencer: strict per-series `seq` (1, 2, 3 …) in venue id order, with a bounded
 * reorder buffer and restorable state.
 * @example
 * const seqr = createSequencer<Trade>((series, seq, timeUs, trade) => out.push({ seq, trade }));
 * seqr.push('BINANCE:BTCUSDT', Number(trade.tradeId), trade.timeUs, trade);
 */
export type { ItemCodec, SequencedSink, Sequencer, SequencerOptions, SequencerStats } from './sequencer.ts';
export { createSequencer } from './sequencer.ts';
