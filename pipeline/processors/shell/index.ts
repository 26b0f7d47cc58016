/**
 * Bus shells of the processors: dedup+sequencer (norm.trade → norm.trade.sequenced) and
 * bars (norm.trade.sequenced → bars.1m / bars.derived / bars.late / bars.indicators),
 * each exactly-once through `Bus.transform` with its changelog state in the same
 * transaction.
 * @example
 * const seq = createSequencerProcessor({ bus, logger }, config.processors);
 * const bars = createBarsProcessor({ bus, logger }, config.processors);
 * await seq.start(); await bars.start();
 */
export { createBarsProcessor } from './bars-processor.ts';
export {
  createSequencerProcessor,
  PROCESSOR_TOPICS,
  type ProcessorDeps,
  type ProcessorHandle,
} from './sequencer-processor.ts';
