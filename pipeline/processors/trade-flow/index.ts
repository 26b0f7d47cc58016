/**
 * Trade flow: dedup → sequencer → 1m bars → derived bars as one restorable pure core.
 * @example
 * const flow = createTradeFlow({ bars: { graceUs: 10_000_000 } });
 * flow.push('BINANCE:BTCUSDT', { tradeId: '3735683259', price: '61837.63', quantity: '0.02', timeUs, aggressor: 2, tradeCount: 1 });
 * const { bars1m, derived, late } = flow.drain();
 */
export type {
  FlowTrade,
  SequencedTrade,
  TradeFlow,
  TradeFlowOptions,
  TradeFlowOutput,
  TradeFlowStats,
} from './trade-flow.ts';
export { createTradeFlow, flowTradeCodec } from './trade-flow.ts';
