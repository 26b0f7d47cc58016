/** What the processor shells read and write, and what they are built from. */
import type { Logger } from '../../../core/logger.ts';
import type { Bus } from '../../bus/types.ts';

export interface ProcessorDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  /** Current time, epoch µs; optional (live runs pass one to close quiet bars/gaps). */
  readonly clock?: () => number;
}

/** Topic names the processors read and write (defaults from deploy/topics.yaml). */
export const PROCESSOR_TOPICS = {
  trades: 'norm.trade',
  sequenced: 'norm.trade.sequenced',
  bars1m: 'bars.1m',
  barsDerived: 'bars.derived',
  barsLate: 'bars.late',
  indicators: 'bars.indicators',
  stateDedup: 'state.dedup',
  stateSequencer: 'state.sequencer',
  stateBars: 'state.bars',
} as const;

/** A running processor. */
export interface ProcessorHandle {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What a processor refused: records dead-lettered, by reason code. */
export interface ProcessorStats {
  deadLettered: number;
  deadLetteredByCode: Record<string, number>;
}
