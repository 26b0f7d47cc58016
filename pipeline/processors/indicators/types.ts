/**
 * The streaming indicator plug-in interface. An indicator reads the closes (or whole
 * bars) of FINAL bars of one series and period, in open-time order, and returns a value
 * once seeded.
 *
 * Implementers, required: `name`, `seed`, `update`, `write`, `read`.
 * `update` must be O(1)-ish and keep bounded state; `write`/`read` round-trip that state
 * exactly (it goes to the changelog with the bars state).
 */
import type { BarState } from '../bars/bar-state.ts';
import type { ByteReader, ByteWriter } from '../state/index.ts';

export interface StreamingIndicator {
  /** Output name, e.g. "ma5". */
  readonly name: string;
  /** Final bars needed before the first value (the "seed requirement"). */
  readonly seed: number;
  /** Feeds one final bar; returns the value at that bar (scale-18 bigint) or undefined while seeding. */
  update(bar: BarState): bigint | undefined;
  write(w: ByteWriter): void;
  read(r: ByteReader): void;
}

/** How an indicator is asked for in config: a registered kind and its parameters. */
export interface IndicatorSpec {
  readonly kind: string;
  readonly period: number;
}

/** Builds a fresh indicator instance from a spec (one per series and bar period). */
export type IndicatorFactory = (spec: IndicatorSpec) => StreamingIndicator;
