/**
 * The recorded trades and candles the processor tests use; they live in test/support (tests of
 * proto read them too). Kept here so the processor tests' imports stay put.
 */
export {
  loadBtcusdtTrades,
  loadFreqtradeXrpethCandles,
  loadXrpethAggTrades,
  type RecordedTrade,
  type ReferenceCandle,
} from '../../../test/support/recorded-trades.ts';
