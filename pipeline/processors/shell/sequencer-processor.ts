/**
 * The dedup + sequencer processor (thin shell): norm.trade → norm.trade.sequenced, with
 * its state in state.dedup and state.sequencer written in the SAME bus transaction as
 * its outputs, and restored from them whenever partitions are assigned.
 *
 * Per record: decode and check price/quantity (unreadable or bad decimal → dead letter), dedup by venue trade id (duplicate →
 * dropped and counted; expired → bars.late with header qf-late-reason=dedup-expired),
 * sequence (Envelope.seq set, re-encoded). With `deps.clock`, each batch also advances
 * the reorder buffers to clock time; without it, only event time releases them.
 */
import { checkDecimal, DecimalError } from '../../../core/decimal/index.ts';
import type { Logger } from '../../../core/logger.ts';
import type { Bus, BusRecord, Subscription } from '../../bus/types.ts';
import type { ProcessorsConfig } from '../config.ts';
import { createDeduplicator } from '../dedup/index.ts';
import { createSequencer, type ItemCodec } from '../sequencer/index.ts';
import { createRedeliveryGuard } from './redelivery.ts';
import {
  readTradeRecord,
  restoreFromChangelog,
  type TradeRecord,
  toIntegerId,
  UnreadableRecord,
  withSeq,
} from './series.ts';

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

/** Buffered trades are kept (and snapshotted) as their original envelope bytes. */
const bytesCodec: ItemCodec<Uint8Array> = { encode: (b) => b, decode: (b) => b };

/** Builds the dedup + sequencer processor. */
export function createSequencerProcessor(
  deps: ProcessorDeps,
  config: Pick<ProcessorsConfig, 'dedup' | 'sequencer'>,
): ProcessorHandle {
  const { bus, logger } = deps;
  const T = PROCESSOR_TOPICS;
  let dedup = createDeduplicator(config.dedup);
  let out: BusRecord[] = [];
  const keyOf = new Map<string, string | null>();
  const makeSequencer = () =>
    createSequencer<Uint8Array>(
      (series, seq, _timeUs, value) => {
        out.push({ topic: T.sequenced, key: keyOf.get(series) ?? null, value: withSeq(value, seq) });
      },
      { reorderWindowUs: config.sequencer.reorderWindowMs * 1000, maxBuffered: config.sequencer.maxBuffered },
      bytesCodec,
    );
  let sequencer = makeSequencer();
  let subscription: Subscription | undefined;
  const guard = createRedeliveryGuard();
  let failed = false;

  async function restore(): Promise<void> {
    dedup = createDeduplicator(config.dedup);
    sequencer = makeSequencer();
    guard.reset();
    const read = (topic: string) => bus.readCompacted(topic);
    const n = await restoreFromChangelog(read, T.stateDedup, (s, b) => dedup.restoreSeries(s, b));
    await restoreFromChangelog(read, T.stateSequencer, (s, b) => sequencer.restoreSeries(s, b));
    logger.info({ series: n }, 'sequencer: state restored');
  }

  return {
    async start() {
      await restore();
      subscription = await bus.transform({
        groupId: 'qf-processor-sequencer',
        topics: [T.trades],
        transactionalIdPrefix: 'qf-processor-sequencer',
        fromBeginning: true,
        onAssigned: restore,
        async handler(batch) {
          if (failed || guard.isRedelivery(batch)) {
            await restore();
            failed = false;
          }
          out = [];
          failed = true; // until this batch's outputs are handed back
          for (const message of batch.messages) {
            let record: TradeRecord;
            try {
              record = readTradeRecord(message.value);
              // Validate here, before dedup remembers the id: a bad price never gets a seq.
              checkDecimal(record.trade.price);
              checkDecimal(record.trade.quantity);
            } catch (error) {
              if (!(error instanceof UnreadableRecord || error instanceof DecimalError)) throw error;
              const code = error instanceof UnreadableRecord ? error.code : 'bad_decimal';
              await bus.deadLetter(message, { code, message: error.message, source: 'processor.sequencer' });
              continue;
            }
            keyOf.set(record.series, message.key);
            const id = toIntegerId(record.trade.tradeId);
            const verdict = Number.isNaN(id)
              ? dedup.check(record.series, record.trade.tradeId)
              : dedup.checkId(record.series, id);
            if (verdict === 'new')
              sequencer.push(record.series, id, Number(record.trade.timeUs), message.value);
            else if (verdict === 'expired') {
              out.push({
                topic: T.barsLate,
                key: message.key,
                value: message.value,
                headers: { 'qf-late-reason': 'dedup-expired' },
              });
            }
          }
          if (deps.clock) sequencer.advance(deps.clock());
          const changed = new Set([...dedup.takeChanged(), ...sequencer.takeChanged()]);
          for (const series of changed) {
            const key = series;
            const d = dedup.snapshotSeries(series);
            if (d) out.push({ topic: T.stateDedup, key, value: d });
            const s = sequencer.snapshotSeries(series);
            if (s) out.push({ topic: T.stateSequencer, key, value: s });
          }
          guard.processed(batch);
          failed = false;
          return out;
        },
      });
    },
    async stop() {
      await subscription?.stop();
      subscription = undefined;
    },
  };
}
