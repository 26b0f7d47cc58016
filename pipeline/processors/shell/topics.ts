/** What the processor shells read and write, and what they are built from. */
import type { Logger } from '../../../core/logger.ts';
import { TOPIC_NAMES } from '../../bus/topic-names.ts';
import type { Bus } from '../../bus/types.ts';

export interface ProcessorDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  /** Current time, epoch µs; optional (live runs pass one to close quiet bars/gaps). */
  readonly clock?: () => number;
}

/** The topics the processors read and write, by role. */
export const PROCESSOR_TOPICS = {
  trades: TOPIC_NAMES.normTrade,
  sequenced: TOPIC_NAMES.normTradeSequenced,
  bars1m: TOPIC_NAMES.bars1m,
  barsDerived: TOPIC_NAMES.barsDerived,
  barsLate: TOPIC_NAMES.barsLate,
  indicators: TOPIC_NAMES.barsIndicators,
  stateDedup: TOPIC_NAMES.stateDedup,
  stateSequencer: TOPIC_NAMES.stateSequencer,
  stateBars: TOPIC_NAMES.stateBars,
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
