/**
 * Bus shell of the processors: the trade processor (norm.trade → dedup → sequencer → bars →
 * norm.trade.sequenced, bars.1m / bars.derived / bars.late / bars.indicators), exactly-once
 * through `Bus.transform` with its changelog state in the same transaction.
 * @example
 * const trades = createTradeProcessor({ bus, logger }, config.processors);
 * await trades.start();
 */

export { PROCESSOR_TOPICS, type ProcessorDeps, type ProcessorHandle, type ProcessorStats } from './topics.ts';
export { createTradeProcessor, TRADE_PROCESSOR_GROUP } from './trade-processor.ts';
