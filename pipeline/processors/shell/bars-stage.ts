/**
 * The bar half of the trade processor: sequenced trades in, per batch the records of
 * bars.1m / bars.derived / bars.indicators and the changed series' state.bars entries out.
 *
 * Bars leave as Envelope{event_type "bar", payload Bar}; forming updates are coalesced
 * to one per bar per batch. Indicator values leave as Envelope{event_type "indicator",
 * payload = UTF-8 JSON IndicatorValue} until a proto message exists for them.
 */
import { parseDecimal } from '../../../core/decimal/index.ts';
import { BarCodec, EnvelopeCodec, eventId, SCHEMA_VERSION } from '../../../proto/index.ts';
import type { TradeFields } from '../../../proto/trade-envelope.ts';
import type { BusRecord } from '../../bus/types.ts';
import type { BarAddResult, BarUpdate } from '../bars/bar-builder.ts';
import { type BarTrade, toBarMessage } from '../bars/bar-state.ts';
import { createBarsEngine } from '../bars/bars-engine.ts';
import type { ProcessorsConfig } from '../config.ts';
import { createIndicatorEngine } from '../indicators/index.ts';
import { ByteReader, ByteWriter, expectVersion } from '../state/index.ts';
import { PROCESSOR_TOPICS } from './topics.ts';

/** state.bars value format: version, engine bytes, indicator bytes. */
const FORMAT = 1;
const encoder = new TextEncoder();

export interface BarsStage {
  /**
   * Adds one sequenced trade whose price and quantity were already checked (checkDecimal);
   * 'late' when its bar is already final.
   */
  add(series: string, seq: number, trade: TradeFields): BarAddResult;
  /** Advances every series' watermark to wall-clock `nowUs` (a clock tick). */
  advance(nowUs: number): void;
  /** Appends this batch's bar, indicator and state.bars records to `out`. */
  emit(out: BusRecord[], nowUs: number): void;
  restoreSeries(series: string, bytes: Uint8Array): void;
}

/** Builds the bars stage: 1m bars, derived periods and indicators, with empty state. */
export function createBarsStage(config: Pick<ProcessorsConfig, 'bars' | 'indicators'>): BarsStage {
  const T = PROCESSOR_TOPICS;
  const engine = createBarsEngine({
    periods: config.bars.periods,
    allowedLatenessUs: config.bars.allowedLatenessMs * 1000,
    graceUs: config.bars.graceMs * 1000,
    emitForming: config.bars.emitForming,
  });
  const indicators = createIndicatorEngine({ indicators: config.indicators });
  // One reused object: the engine copies what it keeps.
  const scratch: BarTrade = { seq: 0, timeUs: 0, price: 0n, quantity: 0n, aggressor: 0, tradeCount: 1 };

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

  function indicatorRecords(out: BusRecord[], u: BarUpdate, nowUs: number): void {
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
      out.push({ topic: T.indicators, key: `${venue}:${symbol}`, value: EnvelopeCodec.encode(envelope) });
    }
  }

  return {
    add(series, seq, trade) {
      scratch.seq = seq;
      scratch.timeUs = trade.timeUs;
      scratch.price = parseDecimal(trade.price);
      scratch.quantity = parseDecimal(trade.quantity);
      scratch.aggressor = trade.aggressor;
      scratch.tradeCount = trade.tradeCount;
      return engine.add(series, scratch);
    },
    advance: (nowUs) => engine.advance(nowUs),
    emit(out, nowUs) {
      const { bars1m, derived } = engine.drain();
      for (const u of bars1m) out.push(barRecord(T.bars1m, u, nowUs));
      for (const u of derived) out.push(barRecord(T.barsDerived, u, nowUs));
      for (const u of bars1m) indicatorRecords(out, u, nowUs);
      for (const u of derived) indicatorRecords(out, u, nowUs);
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
    },
    restoreSeries(series, bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'bars processor', FORMAT);
      engine.restoreSeries(series, r.bytes());
      const ind = r.bytes();
      if (ind.length > 0) indicators.restoreSeries(series, ind);
    },
  };
}
