/**
 * The pure part of backfill: checking a requested range, and turning store coverage gaps
 * into as few REST windows as possible.
 */
import { InvalidInputError } from '../../core/errors.ts';

/** ISO time of epoch µs, for messages. */
export function isoUs(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

/** What {@link checkRange} needs to know. */
export interface RangeCheck {
  readonly venue: string;
  readonly symbol: string;
  readonly fromUs: number;
  readonly toUs: number;
  readonly nowUs: number;
  /** The symbol's first data on the venue (listing), epoch µs; undefined when unknown. */
  readonly earliestUs: number | undefined;
}

/**
 * Refuses a range that cannot be backfilled: inverted or empty, in the future, or before the
 * symbol's earliest time. The message names the valid bounds.
 */
export function checkRange(c: RangeCheck): void {
  if (!Number.isFinite(c.fromUs) || !Number.isFinite(c.toUs) || c.fromUs < 0) {
    throw new InvalidInputError('from', `expected a time range, got from=${c.fromUs} to=${c.toUs}`);
  }
  if (c.toUs <= c.fromUs) {
    throw new InvalidInputError(
      'to',
      `the range is empty or inverted: to ${isoUs(c.toUs)} is not after from ${isoUs(c.fromUs)}`,
    );
  }
  if (c.fromUs >= c.nowUs || c.toUs > c.nowUs) {
    throw new InvalidInputError(
      'to',
      `the range ${isoUs(c.fromUs)} .. ${isoUs(c.toUs)} reaches into the future; it must end by now (${isoUs(c.nowUs)})`,
    );
  }
  if (c.earliestUs !== undefined && c.earliestUs > 0 && c.fromUs < c.earliestUs) {
    throw new InvalidInputError(
      'from',
      `${c.symbol} on ${c.venue} has no data before its earliest time ${isoUs(c.earliestUs)}; ` +
        `from ${isoUs(c.fromUs)} is earlier (start at or after ${isoUs(c.earliestUs)})`,
    );
  }
}

/** A hole in a bar series: missing open times in [fromUs, toUs). */
export interface BarGap {
  readonly fromUs: number;
  readonly toUs: number;
}

/** One klines request window, and the holes it is fetched for. */
export interface KlineWindow {
  readonly fromUs: number;
  /** Exclusive. */
  readonly toUs: number;
  readonly gaps: readonly BarGap[];
}

/**
 * Groups coverage gaps (oldest first) into windows of at most `pageLimit` bars each, so many
 * small holes cost one request rather than one each; a long gap is split into page-sized windows.
 * Only bars whose open time falls in a gap of the window are written from it.
 */
export function planKlineWindows(gaps: readonly BarGap[], widthUs: number, pageLimit: number): KlineWindow[] {
  const span = widthUs * pageLimit;
  const windows: KlineWindow[] = [];
  let current: { fromUs: number; toUs: number; gaps: BarGap[] } | undefined;
  for (const gap of gaps) {
    for (let from = gap.fromUs; from < gap.toUs; ) {
      const to = Math.min(gap.toUs, from + span);
      const piece = { fromUs: from, toUs: to };
      if (current !== undefined && to - current.fromUs <= span) {
        current.toUs = to;
        current.gaps.push(piece);
      } else {
        current = { fromUs: from, toUs: to, gaps: [piece] };
        windows.push(current);
      }
      from = to;
    }
  }
  return windows;
}

/** True when `openUs` is inside one of `gaps`. */
export function inGaps(gaps: readonly BarGap[], openUs: number): boolean {
  for (const g of gaps) if (openUs >= g.fromUs && openUs < g.toUs) return true;
  return false;
}

/** Fraction of [fromUs, toUs) covered up to `coveredUs`, clamped to 0..1. */
export function fractionOf(fromUs: number, toUs: number, coveredUs: number): number {
  if (toUs <= fromUs) return 1;
  return Math.min(1, Math.max(0, (coveredUs - fromUs) / (toUs - fromUs)));
}
