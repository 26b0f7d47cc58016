/**
 * The bars processor (thin shell): norm.trade.sequenced → bars.1m, bars.derived,
 * bars.late, bars.indicators, with per-series state (open bars, watermark, derived
 * accumulators, indicator rings) in state.bars, written in the SAME bus transaction as
 * the outputs and restored from it on assignment or after a redelivered batch.
 *
 * Bars leave as Envelope{event_type "bar", payload Bar}; forming updates are coalesced
 * to one per bar per batch. Indicator values leave as Envelope{event_type "indicator",
 * payload = UTF-8 JSON IndicatorValue} until a proto message exists for them.
 */
import { DecimalError, parseDecimal } from '../../../core/decimal/index.ts';
import { BarCodec, EnvelopeCodec, EventType, eventId, SCHEMA_VERSION } from '../../../proto/index.ts';
import type { BusRecord, Subscription } from '../../bus/types.ts';
import type { BarUpdate } from '../bars/bar-builder.ts';
import { type BarTrade, toBarMessage } from '../bars/bar-state.ts';
import { createBarsEngine } from '../bars/bars-engine.ts';
import type { Period } from '../bars/periods.ts';
import type { ProcessorsConfig } from '../config.ts';
import { createIndicatorEngine } from '../indicators/index.ts';
import { ByteReader, ByteWriter, expectVersion } from '../state/index.ts';
import { createRedeliveryGuard } from './redelivery.ts';
import { PROCESSOR_TOPICS, type ProcessorDeps, type ProcessorHandle } from './sequencer-processor.ts';
import { readTradeRecord, restoreFromChangelog, UnreadableRecord } from './series.ts';

const FORMAT = 1;
const encoder = new TextEncoder();

/** Builds the bars processor. */
export function createBarsProcessor(
  deps: ProcessorDeps,
  config: Pick<ProcessorsConfig, 'bars' | 'indicators'>,
): ProcessorHandle {
  const { bus, logger } = deps;
  const T = PROCESSOR_TOPICS;
  const makeEngine = () =>
    createBarsEngine({
      periods: config.bars.periods as readonly Period[],
      allowedLatenessUs: config.bars.allowedLatenessMs * 1000,
      graceUs: config.bars.graceMs * 1000,
      emitForming: config.bars.emitForming,
    });
  const makeIndicators = () => createIndicatorEngine({ indicators: config.indicators });
  let engine = makeEngine();
  let indicators = makeIndicators();
  const guard = createRedeliveryGuard();
  let failed = false;
  let subscription: Subscription | undefined;
  const scratch: BarTrade = { seq: 0, timeUs: 0, price: 0n, quantity: 0n, aggressor: 0, tradeCount: 1 };

  function restoreSeries(series: string, bytes: Uint8Array): void {
    const r = new ByteReader(bytes);
    expectVersion(r, 'bars processor', FORMAT);
    engine.restoreSeries(series, r.bytes());
    const ind = r.bytes();
    if (ind.length > 0) indicators.restoreSeries(series, ind);
  }

  async function restore(): Promise<void> {
    engine = makeEngine();
    indicators = makeIndicators();
    guard.reset();
    const n = await restoreFromChangelog((t) => bus.readCompacted(t), T.stateBars, restoreSeries);
    logger.info({ series: n }, 'bars: state restored');
  }

  function barRecord(topic: string, u: BarUpdate, nowUs: number): BusRecord {
    const [venue = '', symbol = ''] = u.series.split(':');
    const b = u.bar;
    const envelope = {
      eventId: eventId(
        venue,
        symbol,
        'bar',
        `${b.period}:${b.openTimeUs}:r${b.revision}:s${b.lastSeq}${b.final ? ':final' : ''}`,
      ),
      eventType: 'bar',
      venue,
      symbol,
      observedAtUs: b.closeKeyTime,
      ingestedAtUs: nowUs,
      schemaVersion: SCHEMA_VERSION,
      stream: u.series.endsWith(':agg') ? 'aggTrade' : 'trade',
      payload: BarCodec.encode(toBarMessage(b)),
    };
    return { topic, key: `${venue}:${symbol}`, value: EnvelopeCodec.encode(envelope) };
  }

  return {
    async start() {
      await restore();
      subscription = await bus.transform({
        groupId: 'qf-processor-bars',
        topics: [T.sequenced],
        transactionalIdPrefix: 'qf-processor-bars',
        fromBeginning: true,
        onAssigned: restore,
        async handler(batch) {
          if (failed || guard.isRedelivery(batch)) {
            await restore();
            failed = false;
          }
          failed = true;
          const out: BusRecord[] = [];
          for (const message of batch.messages) {
            try {
              const { trade, series, envelope } = readTradeRecord(message.value);
              scratch.seq = Number(envelope.seq);
              scratch.timeUs = Number(trade.timeUs);
              scratch.price = parseDecimal(trade.price);
              scratch.quantity = parseDecimal(trade.quantity);
              scratch.aggressor = trade.aggressor;
              scratch.tradeCount = trade.tradeCount;
              if (engine.add(series, scratch) === 'late') {
                out.push({
                  topic: T.barsLate,
                  key: message.key,
                  value: message.value,
                  headers: { 'qf-late-reason': 'after-grace' },
                });
              }
            } catch (error) {
              if (error instanceof UnreadableRecord && error.code === 'unexpected_event_type') {
                // A clock tick (live sources, about once a second): close quiet bars by time.
                const env = EnvelopeCodec.decode(message.value);
                if (env.eventType === EventType.tick) {
                  engine.advance(env.observedAtUs);
                  continue;
                }
              }
              if (!(error instanceof UnreadableRecord || error instanceof DecimalError)) throw error;
              const code = error instanceof UnreadableRecord ? error.code : 'bad_decimal';
              await bus.deadLetter(message, { code, message: error.message, source: 'processor.bars' });
            }
          }
          const nowUs = deps.clock ? deps.clock() : Date.now() * 1000;
          if (deps.clock) engine.advance(nowUs);
          const { bars1m, derived } = engine.drain();
          for (const u of bars1m) out.push(barRecord(T.bars1m, u, nowUs));
          for (const u of derived) out.push(barRecord(T.barsDerived, u, nowUs));
          for (const u of [...bars1m, ...derived]) {
            for (const v of indicators.onBar(u.series, u.bar)) {
              const [venue = '', symbol = ''] = v.series.split(':');
              const envelope = {
                eventId: eventId(venue, symbol, 'indicator', `${v.period}:${v.name}:${v.openTimeUs}`),
                eventType: 'indicator',
                venue,
                symbol,
                observedAtUs: v.closeTimeUs,
                ingestedAtUs: nowUs,
                schemaVersion: SCHEMA_VERSION,
                payload: encoder.encode(JSON.stringify(v)),
              };
              out.push({
                topic: T.indicators,
                key: `${venue}:${symbol}`,
                value: EnvelopeCodec.encode(envelope),
              });
            }
          }
          for (const series of engine.takeChanged()) {
            const e = engine.snapshotSeries(series);
            if (e === undefined) continue;
            const i = indicators.snapshotSeries(series) ?? new Uint8Array(0);
            out.push({
              topic: T.stateBars,
              key: series,
              value: new ByteWriter(e.length + i.length + 16).uint(FORMAT).bytes(e).bytes(i).finish(),
            });
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
