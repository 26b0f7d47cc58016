/**
 * The in-memory bar: exact bigint volumes and the order keys that decide open and close.
 *
 * Order: a bar's open is its trade with the smallest (trade time, seq) and its close the
 * one with the largest. The sequencer numbers trades in venue-id order, so this is venue
 * order — never arrival order — and a reordered replay builds identical bars. Time comes
 * first so a late gap-filler (numbered after its successors) still opens its bar.
 * trade_count sums each record's execution count (an aggTrade counts its l - f + 1
 * executions, as Binance klines do; a plain trade counts 1).
 */
import { formatDecimal, PRODUCT_SCALE, parseDecimal } from '../../../core/decimal/index.ts';
import { type BuiltPeriod, PERIOD_US } from '../../../core/periods/index.ts';
import type { BarInit } from '../../../proto/index.ts';

/** Aggressor values, as in proto Side. */
export const SIDE_BUY = 1;
export const SIDE_SELL = 2;

/** One trade as the bar builder reads it: prices and sizes already parsed (scale 18). */
export interface BarTrade {
  seq: number;
  timeUs: number;
  /** parseDecimal(price). */
  price: bigint;
  /** parseDecimal(quantity). */
  quantity: bigint;
  /** proto Side: 1 buy-aggressor, 2 sell-aggressor, 0 unknown (counted in volume only). */
  aggressor: number;
  /** Venue executions this record stands for (aggTrade: l - f + 1); 0 is read as 1. */
  tradeCount: number;
}

/** A bar being built or emitted. Volumes at scale 18, quote volumes at scale 36 (price × qty, exact). */
export interface BarState {
  period: BuiltPeriod;
  openTimeUs: number;
  closeTimeUs: number;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
  takerBuyVolume: bigint;
  makerVolume: bigint;
  quoteVolume: bigint;
  takerBuyQuoteVolume: bigint;
  tradeCount: number;
  firstSeq: number;
  lastSeq: number;
  /** (time, seq) of the trade that set `open`. */
  openKeyTime: number;
  openKeySeq: number;
  /** (time, seq) of the trade that set `close`. */
  closeKeyTime: number;
  closeKeySeq: number;
  revision: number;
  final: boolean;
}

/** A new bar holding one trade. */
export function newBar(period: BuiltPeriod, openTimeUs: number, t: BarTrade): BarState {
  const pq = t.price * t.quantity;
  const buy = t.aggressor === SIDE_BUY;
  return {
    period,
    openTimeUs,
    closeTimeUs: openTimeUs + PERIOD_US[period],
    open: t.price,
    high: t.price,
    low: t.price,
    close: t.price,
    volume: t.quantity,
    takerBuyVolume: buy ? t.quantity : 0n,
    makerVolume: t.aggressor === SIDE_SELL ? t.quantity : 0n,
    quoteVolume: pq,
    takerBuyQuoteVolume: buy ? pq : 0n,
    tradeCount: t.tradeCount > 0 ? t.tradeCount : 1,
    firstSeq: t.seq,
    lastSeq: t.seq,
    openKeyTime: t.timeUs,
    openKeySeq: t.seq,
    closeKeyTime: t.timeUs,
    closeKeySeq: t.seq,
    revision: 0,
    final: false,
  };
}

/** Adds one trade to a bar (the hot path: a handful of bigint operations, no allocation). */
export function addTrade(bar: BarState, t: BarTrade): void {
  const p = t.price;
  const q = t.quantity;
  if (p > bar.high) bar.high = p;
  if (p < bar.low) bar.low = p;
  if (t.timeUs > bar.closeKeyTime || (t.timeUs === bar.closeKeyTime && t.seq > bar.closeKeySeq)) {
    bar.close = p;
    bar.closeKeyTime = t.timeUs;
    bar.closeKeySeq = t.seq;
  }
  if (t.timeUs < bar.openKeyTime || (t.timeUs === bar.openKeyTime && t.seq < bar.openKeySeq)) {
    bar.open = p;
    bar.openKeyTime = t.timeUs;
    bar.openKeySeq = t.seq;
  }
  const pq = p * q;
  bar.volume += q;
  bar.quoteVolume += pq;
  if (t.aggressor === SIDE_BUY) {
    bar.takerBuyVolume += q;
    bar.takerBuyQuoteVolume += pq;
  } else if (t.aggressor === SIDE_SELL) bar.makerVolume += q;
  bar.tradeCount += t.tradeCount > 0 ? t.tradeCount : 1;
  if (t.seq < bar.firstSeq) bar.firstSeq = t.seq;
  if (t.seq > bar.lastSeq) bar.lastSeq = t.seq;
}

/** Folds bar `b` (a disjoint set of trades) into `into`; order keys decide open and close. */
export function mergeBar(into: BarState, b: BarState): void {
  if (b.high > into.high) into.high = b.high;
  if (b.low < into.low) into.low = b.low;
  if (
    b.closeKeyTime > into.closeKeyTime ||
    (b.closeKeyTime === into.closeKeyTime && b.closeKeySeq > into.closeKeySeq)
  ) {
    into.close = b.close;
    into.closeKeyTime = b.closeKeyTime;
    into.closeKeySeq = b.closeKeySeq;
  }
  if (
    b.openKeyTime < into.openKeyTime ||
    (b.openKeyTime === into.openKeyTime && b.openKeySeq < into.openKeySeq)
  ) {
    into.open = b.open;
    into.openKeyTime = b.openKeyTime;
    into.openKeySeq = b.openKeySeq;
  }
  into.volume += b.volume;
  into.takerBuyVolume += b.takerBuyVolume;
  into.makerVolume += b.makerVolume;
  into.quoteVolume += b.quoteVolume;
  into.takerBuyQuoteVolume += b.takerBuyQuoteVolume;
  into.tradeCount += b.tradeCount;
  if (b.firstSeq < into.firstSeq) into.firstSeq = b.firstSeq;
  if (b.lastSeq > into.lastSeq) into.lastSeq = b.lastSeq;
}

/** A copy of `b` re-bucketed into `period` starting at `openTimeUs` (the seed of a derived bar). */
export function rebucket(b: BarState, period: BuiltPeriod, openTimeUs: number): BarState {
  return { ...b, period, openTimeUs, closeTimeUs: openTimeUs + PERIOD_US[period], revision: 0, final: false };
}

/** The wire form (proto Bar): canonical decimal strings. */
export function toBarMessage(b: BarState): BarInit {
  return {
    period: b.period,
    openTimeUs: b.openTimeUs,
    closeTimeUs: b.closeTimeUs,
    open: formatDecimal(b.open),
    high: formatDecimal(b.high),
    low: formatDecimal(b.low),
    close: formatDecimal(b.close),
    volume: formatDecimal(b.volume),
    takerBuyVolume: formatDecimal(b.takerBuyVolume),
    makerVolume: formatDecimal(b.makerVolume),
    tradeCount: b.tradeCount,
    quoteVolume: formatDecimal(b.quoteVolume, PRODUCT_SCALE),
    takerBuyQuoteVolume: formatDecimal(b.takerBuyQuoteVolume, PRODUCT_SCALE),
    revision: b.revision,
    final: b.final,
    firstSeq: b.firstSeq,
    lastSeq: b.lastSeq,
  };
}

/** Parses strings of a trade into a BarTrade (throws DecimalError on a bad price/quantity). */
export function toBarTrade(
  seq: number,
  timeUs: number,
  price: string,
  quantity: string,
  aggressor: number,
  tradeCount = 1,
): BarTrade {
  return { seq, timeUs, price: parseDecimal(price), quantity: parseDecimal(quantity), aggressor, tradeCount };
}
