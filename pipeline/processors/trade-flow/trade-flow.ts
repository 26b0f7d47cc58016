/**
 * The trade path of the pipeline as one pure core: dedup → sequencer → 1m bars →
 * derived bars, per series, with one restorable state blob per series. The bus shells
 * wrap exactly this (norm.trade → norm.trade.sequenced → bars.1m / bars.derived / bars.late).
 * Per trade it allocates nothing but the bigints of the parsed price and quantity (the
 * BarTrade handed to the bar builder is one reused object).
 */
import { parseDecimal } from '../../../core/decimal/index.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import { TradeCodec, type TradeInit } from '../../../proto/index.ts';
import type { BarUpdate } from '../bars/bar-builder.ts';
import type { BarTrade } from '../bars/bar-state.ts';
import { type BarsEngineOptions, createBarsEngine } from '../bars/bars-engine.ts';
import { createDeduplicator, type DedupOptions, type DedupVerdict } from '../dedup/index.ts';
import { createSequencer, type ItemCodec, type SequencerOptions } from '../sequencer/index.ts';
import { ByteReader, ByteWriter, expectVersion } from '../state/index.ts';

/** A normalized trade as the flow reads it (the fields of proto Trade it needs). */
export interface FlowTrade {
  tradeId: string;
  price: string;
  quantity: string;
  timeUs: number;
  /** proto Side. */
  aggressor: number;
  /** Executions this record stands for (aggTrade l - f + 1); 0 or absent is 1. */
  tradeCount: number;
}

/** A trade that left the sequencer with its seq. */
export interface SequencedTrade {
  readonly series: string;
  readonly seq: number;
  readonly trade: FlowTrade;
}

export interface TradeFlowOptions {
  readonly dedup?: DedupOptions;
  readonly sequencer?: SequencerOptions;
  readonly bars?: BarsEngineOptions;
  /** Keep every sequenced trade for drain() (the norm.trade.sequenced output). Default false. */
  readonly collectSequenced?: boolean;
}

/** What drain() hands to the shell for one transaction. */
export interface TradeFlowOutput {
  readonly sequenced: SequencedTrade[];
  readonly bars1m: BarUpdate[];
  readonly derived: BarUpdate[];
  /** Trades for bars already final: to bars.late. */
  readonly late: SequencedTrade[];
}

export interface TradeFlowStats {
  readonly received: number;
  readonly duplicates: number;
  readonly expired: number;
  readonly sequenced: number;
  readonly late: number;
}

export interface TradeFlow {
  /** Offers one normalized trade of `series`; returns the dedup verdict. */
  push(series: string, trade: FlowTrade): DedupVerdict;
  /** Clock tick (epoch µs): releases reorder buffers and closes quiet bars. */
  advance(nowUs: number): void;
  /** Releases every buffered trade (end of a replay). */
  flush(): void;
  drain(): TradeFlowOutput;
  /** Series whose state changed since the last call. */
  takeChanged(): string[];
  snapshotSeries(series: string): Uint8Array | undefined;
  restoreSeries(series: string, bytes: Uint8Array): void;
  stats(): TradeFlowStats;
}

const FORMAT = 1;

/** A venue id of 1–15 digits as a number (exact), else NaN. */
function toIntegerId(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15) return Number.NaN;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Buffered trades in sequencer snapshots are written as proto Trade. */
export const flowTradeCodec: ItemCodec<FlowTrade> = {
  encode: (t) => TradeCodec.encode(t satisfies TradeInit),
  decode(bytes) {
    const t = TradeCodec.decode(bytes);
    return {
      tradeId: t.tradeId,
      price: t.price,
      quantity: t.quantity,
      timeUs: Number(t.timeUs),
      aggressor: t.aggressor,
      tradeCount: t.tradeCount,
    };
  },
};

/** Builds the trade path core. */
export function createTradeFlow(options: TradeFlowOptions = {}): TradeFlow {
  const dedup = createDeduplicator(options.dedup);
  const bars = createBarsEngine(options.bars);
  const collect = options.collectSequenced ?? false;
  let sequenced: SequencedTrade[] = [];
  let late: SequencedTrade[] = [];
  let received = 0;
  let released = 0;
  let lastPriceText = '';
  let lastPrice = 0n;
  let pushing: FlowTrade | undefined;
  let pushingPrice = 0n;
  let pushingQuantity = 0n;
  const scratch: BarTrade = { seq: 0, timeUs: 0, price: 0n, quantity: 0n, aggressor: 0, tradeCount: 1 };

  const sequencer = createSequencer<FlowTrade>(
    (series, seq, timeUs, trade) => {
      released++;
      if (collect) sequenced.push({ series, seq, trade });
      scratch.seq = seq;
      scratch.timeUs = timeUs;
      // The trade being pushed was parsed (validated) in push(); buffered ones parse again.
      if (trade === pushing) {
        scratch.price = pushingPrice;
        scratch.quantity = pushingQuantity;
      } else {
        scratch.price = parseDecimal(trade.price);
        scratch.quantity = parseDecimal(trade.quantity);
      }
      scratch.aggressor = trade.aggressor;
      scratch.tradeCount = trade.tradeCount;
      if (bars.add(series, scratch) === 'late') late.push({ series, seq, trade });
    },
    options.sequencer,
    flowTradeCodec,
  );

  return {
    push(series, trade) {
      // Parse first: a bad price or quantity throws (DecimalError) before any state changes.
      // Consecutive trades often print the same price string: a one-entry cache saves a parse.
      let price: bigint;
      if (trade.price === lastPriceText) price = lastPrice;
      else {
        price = parseDecimal(trade.price);
        lastPriceText = trade.price;
        lastPrice = price;
      }
      const quantity = parseDecimal(trade.quantity);
      if (!Number.isFinite(trade.timeUs)) {
        throw new InvalidInputError('trade.timeUs', `must be epoch microseconds, got ${trade.timeUs}`);
      }
      received++;
      const id = toIntegerId(trade.tradeId);
      const verdict = Number.isNaN(id) ? dedup.check(series, trade.tradeId) : dedup.checkId(series, id);
      if (verdict === 'new') {
        pushing = trade;
        pushingPrice = price;
        pushingQuantity = quantity;
        sequencer.push(series, id, trade.timeUs, trade);
        pushing = undefined;
      }
      return verdict;
    },
    advance(nowUs) {
      sequencer.advance(nowUs);
      bars.advance(nowUs);
    },
    flush: () => sequencer.flush(),
    drain() {
      const { bars1m, derived } = bars.drain();
      const out = { sequenced, bars1m, derived, late };
      sequenced = [];
      late = [];
      return out;
    },
    takeChanged() {
      const keys = new Set([...dedup.takeChanged(), ...sequencer.takeChanged(), ...bars.takeChanged()]);
      return [...keys];
    },
    snapshotSeries(series) {
      const d = dedup.snapshotSeries(series);
      if (d === undefined) return undefined;
      const s = sequencer.snapshotSeries(series) ?? new Uint8Array(0);
      const b = bars.snapshotSeries(series) ?? new Uint8Array(0);
      return new ByteWriter(d.length + s.length + b.length + 16)
        .uint(FORMAT)
        .bytes(d)
        .bytes(s)
        .bytes(b)
        .finish();
    },
    restoreSeries(series, bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'trade flow', FORMAT);
      dedup.restoreSeries(series, r.bytes());
      const s = r.bytes();
      if (s.length > 0) sequencer.restoreSeries(series, s);
      const b = r.bytes();
      if (b.length > 0) bars.restoreSeries(series, b);
    },
    stats() {
      const d = dedup.stats();
      return {
        received,
        duplicates: d.duplicates,
        expired: d.expired,
        sequenced: released,
        late: bars.stats().late,
      };
    },
  };
}
