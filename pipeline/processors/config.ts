/**
 * The `processors` config section: dedup, sequencer, bars and indicators settings.
 * (To be composed into core/config/schema.ts as `processors: processorsConfigSchema.prefault({})`.)
 */
import { z } from 'zod';
import { type BuiltPeriod, DERIVED_PERIODS } from '../../core/periods/index.ts';

const derivedPeriods = DERIVED_PERIODS as [BuiltPeriod, ...BuiltPeriod[]];

/** Dedup of norm.trade by venue trade id. */
export const dedupConfigSchema = z.strictObject({
  /** Integer trade ids remembered below each series' highest id (power of two; windowIds/8 bytes per series). Older ids are "expired": not passed on, counted, sent to bars.late. */
  windowIds: z
    .number()
    .int()
    .min(32)
    .max(2 ** 24)
    .refine((n) => (n & (n - 1)) === 0, 'expected a power of two, e.g. 65536')
    .default(65_536)
    .describe('Integer trade ids remembered per series (power of two).'),
  /** Non-integer ids remembered per series (evicted oldest first). */
  maxRecentIds: z
    .number()
    .int()
    .min(1)
    .default(100_000)
    .describe('Non-integer trade ids remembered per series.'),
});

/** The sequencer's reorder buffer. */
export const sequencerConfigSchema = z.strictObject({
  /** How long (event time) a trade waits for a missing predecessor id before the gap is given up. */
  reorderWindowMs: z
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(2000)
    .describe('Reorder window, ms of event time.'),
  /** Most trades held per series while waiting. */
  maxBuffered: z.number().int().min(1).default(10_000).describe('Reorder buffer bound per series.'),
});

/** Bar building and finality. */
export const barsConfigSchema = z.strictObject({
  /** The watermark trails the newest trade time by this much (ms). */
  allowedLatenessMs: z
    .number()
    .int()
    .min(0)
    .default(2000)
    .describe('Watermark lag behind the newest trade, ms.'),
  /** A closed bar can still be revised by late trades for this long after its close (ms); then it is final. */
  graceMs: z.number().int().min(0).default(10_000).describe('Grace period after a bar closes, ms.'),
  /** Emit forming bars (final=false) as they change, coalesced per batch. */
  emitForming: z.boolean().default(true).describe('Emit forming bars, not only final ones.'),
  /** Periods derived from 1m bars. */
  periods: z
    .array(z.enum(derivedPeriods))
    .default([...derivedPeriods])
    .describe(`Derived periods; valid: ${derivedPeriods.join(', ')}.`),
});

/** Streaming indicators on final bars. */
export const indicatorsConfigSchema = z
  .array(
    z.strictObject({
      kind: z.string().min(1).describe('Registered indicator kind, e.g. sma.'),
      period: z.number().int().min(1).max(10_000).describe('Number of final bars.'),
    }),
  )
  .default([
    { kind: 'sma', period: 5 },
    { kind: 'sma', period: 20 },
  ]);

export const processorsConfigSchema = z.strictObject({
  dedup: dedupConfigSchema.prefault({}),
  sequencer: sequencerConfigSchema.prefault({}),
  bars: barsConfigSchema.prefault({}),
  indicators: indicatorsConfigSchema.describe(
    'Streaming indicators computed on final bars (default SMA 5 and SMA 20).',
  ),
});

export type ProcessorsConfig = z.infer<typeof processorsConfigSchema>;
