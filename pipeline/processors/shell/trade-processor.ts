/**
 * The trade processor (thin shell): norm.trade → dedup → sequencer → 1m bars → derived bars
 * → indicators, in one exactly-once stage. Each batch's outputs — norm.trade.sequenced,
 * bars.1m, bars.derived, bars.late, bars.indicators — and the changed series' state in
 * state.dedup, state.sequencer and state.bars commit in ONE bus transaction with the input
 * offsets; the state is restored from those changelogs whenever partitions are assigned or a
 * batch is delivered again.
 *
 * One stage rather than a sequencer stage feeding a bar stage through norm.trade.sequenced:
 * every trade is consumed, read and committed once instead of twice (the topic is still
 * written, for the store sink, the realtime feed and anyone else). Both work per series and
 * the input is keyed by series, so nothing is lost by running them together.
 *
 * Per record: read and check price/quantity (unreadable or bad decimal → dead letter, before
 * dedup remembers the id, so a bad price never gets a seq); dedup by venue trade id
 * (duplicate → dropped and counted; expired → bars.late with qf-late-reason=dedup-expired);
 * sequence (Envelope.seq appended, not re-encoded); add to its bar (a trade for a final bar →
 * bars.late with qf-late-reason=after-grace). A clock tick (Envelope event_type "tick", from
 * the live clock ticker) releases reorder buffers and closes quiet bars at its time; with
 * `deps.clock` every batch does the same at clock time.
 */
import { checkDecimal, DecimalError } from '../../../core/decimal/index.ts';
import { EnvelopeCodec, EventType } from '../../../proto/index.ts';
import type { BusRecord, Subscription } from '../../bus/types.ts';
import type { ProcessorsConfig } from '../config.ts';
import { createDeduplicator } from '../dedup/index.ts';
import { createSequencer, type ItemCodec } from '../sequencer/index.ts';
import { createBarsStage } from './bars-stage.ts';
import { createRedeliveryGuard } from './redelivery.ts';
import {
  createTradeRecordReader,
  restoreFromChangelog,
  type TradeRecord,
  toIntegerId,
  UnreadableRecord,
  withSeq,
} from './series.ts';
import { PROCESSOR_TOPICS, type ProcessorDeps, type ProcessorHandle, type ProcessorStats } from './topics.ts';

/** Consumer group and transactional id prefix of the trade processor. */
export const TRADE_PROCESSOR_GROUP = 'qf-processor-trades';

/** Buffered trades are kept (and snapshotted) as their original envelope bytes. */
const bytesCodec: ItemCodec<Uint8Array> = { encode: (b) => b, decode: (b) => b };

/** Builds the trade processor. */
export function createTradeProcessor(
  deps: ProcessorDeps,
  config: Pick<ProcessorsConfig, 'dedup' | 'sequencer' | 'bars' | 'indicators'>,
): ProcessorHandle & { stats(): ProcessorStats } {
  const { bus, logger } = deps;
  const stats: ProcessorStats = { deadLettered: 0, deadLetteredByCode: {} };
  const T = PROCESSOR_TOPICS;
  let out: BusRecord[] = [];
  // Two readers, each filling one object: `incoming` for the record being pushed (the sequencer
  // usually releases it at once, so it is not read again), `released` for trades the reorder
  // buffer lets go later, which may come out while the incoming one is still needed.
  const incoming = createTradeRecordReader();
  const released = createTradeRecordReader();
  let current: TradeRecord | undefined;
  let currentValue: Uint8Array | undefined;
  /** The bus key of each series seen: `VENUE:SYMBOL` (an aggTrade series drops its ":agg"). */
  const keys = new Map<string, string>();

  function keyOfSeries(series: string): string {
    let key = keys.get(series);
    if (key === undefined) {
      key = series.endsWith(':agg') ? series.slice(0, -4) : series;
      keys.set(series, key);
    }
    return key;
  }

  function onSequenced(series: string, seq: number, _timeUs: number, value: Uint8Array): void {
    const key = keyOfSeries(series);
    const sequenced = withSeq(value, seq);
    out.push({ topic: T.sequenced, key, value: sequenced });
    // A trade released from the reorder buffer later was checked when it came in.
    const trade = value === currentValue && current ? current.trade : released.read(value).trade;
    if (bars.add(series, seq, trade) === 'late')
      out.push({ topic: T.barsLate, key, value: sequenced, headers: { 'qf-late-reason': 'after-grace' } });
  }

  const makeSequencer = () =>
    createSequencer<Uint8Array>(
      onSequenced,
      { reorderWindowUs: config.sequencer.reorderWindowMs * 1000, maxBuffered: config.sequencer.maxBuffered },
      bytesCodec,
    );
  let dedup = createDeduplicator(config.dedup);
  let sequencer = makeSequencer();
  let bars = createBarsStage(config);
  let subscription: Subscription | undefined;
  const guard = createRedeliveryGuard();
  let failed = false;

  async function restore(): Promise<void> {
    dedup = createDeduplicator(config.dedup);
    sequencer = makeSequencer();
    bars = createBarsStage(config);
    guard.reset();
    const read = (topic: string) => bus.readCompacted(topic);
    const n = await restoreFromChangelog(read, T.stateDedup, (s, b) => dedup.restoreSeries(s, b));
    await restoreFromChangelog(read, T.stateSequencer, (s, b) => sequencer.restoreSeries(s, b));
    await restoreFromChangelog(read, T.stateBars, (s, b) => bars.restoreSeries(s, b));
    logger.info({ series: n }, 'trade processor: state restored');
  }

  /** A clock tick's time, or undefined when `value` is not a tick. */
  function tickTime(value: Uint8Array): number | undefined {
    try {
      const envelope = EnvelopeCodec.decode(value);
      return envelope.eventType === EventType.tick ? envelope.observedAtUs : undefined;
    } catch {
      return undefined;
    }
  }

  function advance(nowUs: number): void {
    sequencer.advance(nowUs);
    bars.advance(nowUs);
  }

  return {
    async start() {
      await restore();
      subscription = await bus.transform({
        groupId: TRADE_PROCESSOR_GROUP,
        topics: [T.trades],
        transactionalIdPrefix: TRADE_PROCESSOR_GROUP,
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
              record = incoming.read(message.value);
              checkDecimal(record.trade.price);
              checkDecimal(record.trade.quantity);
            } catch (error) {
              if (!(error instanceof UnreadableRecord || error instanceof DecimalError)) throw error;
              const tick =
                error instanceof UnreadableRecord && error.code === 'unexpected_event_type'
                  ? tickTime(message.value)
                  : undefined;
              if (tick !== undefined) {
                advance(tick);
                continue;
              }
              const code = error instanceof UnreadableRecord ? error.code : 'bad_decimal';
              await bus.deadLetter(message, { code, message: error.message, source: 'processor.trades' });
              stats.deadLettered++;
              stats.deadLetteredByCode[code] = (stats.deadLetteredByCode[code] ?? 0) + 1;
              continue;
            }
            const { series, trade } = record;
            const id = toIntegerId(trade.tradeId);
            const verdict = Number.isNaN(id) ? dedup.check(series, trade.tradeId) : dedup.checkId(series, id);
            if (verdict === 'new') {
              current = record;
              currentValue = message.value;
              sequencer.push(series, id, trade.timeUs, message.value);
            } else if (verdict === 'expired') {
              out.push({
                topic: T.barsLate,
                key: message.key,
                value: message.value,
                headers: { 'qf-late-reason': 'dedup-expired' },
              });
            }
          }
          current = undefined;
          currentValue = undefined;
          const nowUs = deps.clock ? deps.clock() : Date.now() * 1000;
          if (deps.clock) advance(nowUs);
          bars.emit(out, nowUs);
          const changed = new Set([...dedup.takeChanged(), ...sequencer.takeChanged()]);
          for (const series of changed) {
            const d = dedup.snapshotSeries(series);
            if (d) out.push({ topic: T.stateDedup, key: series, value: d });
            const s = sequencer.snapshotSeries(series);
            if (s) out.push({ topic: T.stateSequencer, key: series, value: s });
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
    stats: () => ({ ...stats, deadLetteredByCode: { ...stats.deadLetteredByCode } }),
  };
}
