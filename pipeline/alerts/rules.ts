/**
 * Alert rules: what a user asks to be told about, as one zod discriminated union on `kind`.
 * Times are epoch microseconds (the platform's unit) except `cooldownMs`; prices are numbers
 * (an alert compares, it does not account). Every rule names one venue symbol; bar rules name
 * a bar period too and are evaluated on the close of a FINAL bar of that period.
 */
import { z } from 'zod';
import { BUILT_PERIODS, type BuiltPeriod } from '../../core/periods/index.ts';
import { CANDLE_PATTERNS } from './patterns.ts';

const timeUs = z.number().int().nonnegative();
const price = z.number().finite().positive();
const period = z.enum(BUILT_PERIODS as [BuiltPeriod, ...BuiltPeriod[]]);
const direction = z.enum(['up', 'down', 'either']);

/** What every rule carries: who owns it, where it looks, and how often it may fire. */
const common = {
  id: z.string().min(1).max(128),
  userId: z.string().min(1).max(128),
  workspaceId: z.string().min(1).max(128),
  venue: z.string().min(1).max(32),
  symbol: z.string().min(1).max(32),
  /** `once`: fires at most once, then is done; `recurring`: fires again after `cooldownMs`. */
  mode: z.enum(['once', 'recurring']).default('once'),
  /** recurring only: the least time between two fires, measured in event time. */
  cooldownMs: z.number().int().nonnegative().default(0),
  /** After this event time the rule never fires (absent: never expires). */
  expiresAtUs: timeUs.optional(),
  createdAtUs: timeUs,
  /** Free text the user wrote; carried into the alert's message. */
  note: z.string().max(500).optional(),
};

/** A point of a workspace drawing: a bar time and a price (as charting anchors are). */
export const lineAnchorSchema = z.object({ time: timeUs, price });

/** Price (each sequenced trade) crosses `level`: up = from below to at-or-above, down = the reverse. */
const priceLevel = z.object({ kind: z.literal('price_level'), ...common, level: price, direction });

/**
 * Price moves `percent` % within `windowMs` (each trade): up = price ≥ (lowest trade price of the
 * window) × (1 + percent/100); down = price ≤ highest × (1 − percent/100). After a fire the window
 * starts afresh, so one move fires once.
 */
const percentMove = z.object({
  kind: z.literal('percent_move'),
  ...common,
  percent: z.number().finite().positive().max(1000),
  windowMs: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 3_600_000),
  direction,
});

/** A final bar's volume ≥ `multiplier` × the mean volume of the `lookback` final bars before it. */
const volumeSpike = z.object({
  kind: z.literal('volume_spike'),
  ...common,
  period,
  lookback: z.number().int().min(2).max(500),
  multiplier: z.number().finite().positive(),
});

/**
 * The fast moving average of closes crosses the slow one on a final bar's close: up = fast goes
 * from ≤ slow to > slow (golden cross), down = from ≥ to < (death cross).
 */
const maCross = z
  .object({
    kind: z.literal('ma_cross'),
    ...common,
    period,
    average: z.enum(['sma', 'ema']),
    fast: z.number().int().min(1).max(500),
    slow: z.number().int().min(2).max(500),
    direction,
  })
  .refine((r) => r.fast < r.slow, { message: 'fast must be shorter than slow', path: ['fast'] });

/**
 * An indicator of `indicators/` (one output column, e.g. rsi's "value") on final bars goes
 * above / below `threshold`: fires on the first close where the condition holds after a close
 * where it did not (or on the first computable close, if it already holds there).
 */
const indicatorThreshold = z.object({
  kind: z.literal('indicator_threshold'),
  ...common,
  period,
  indicator: z.string().min(1).max(32),
  params: z.record(z.string(), z.number().finite()).default({}),
  /** Output column; default the indicator's first. */
  output: z.string().min(1).max(32).optional(),
  condition: z.enum(['above', 'below']),
  threshold: z.number().finite(),
});

/** A candlestick pattern of {@link CANDLE_PATTERNS} completes on a final bar. */
const candlePattern = z.object({
  kind: z.literal('candle_pattern'),
  ...common,
  period,
  pattern: z.enum(CANDLE_PATTERNS),
});

/**
 * Price crosses a workspace trend line through `from` and `to` (extrapolated: the line's price at
 * time t is from.price + (to.price − from.price)·(t − from.time)/(to.time − from.time)).
 * `on: 'trade'` compares each trade's price at the trade's time; `on: 'bar'` compares a final
 * bar's close at the bar's open time (the time the chart draws the bar at) and needs `period`.
 * `extend`: where beyond its anchors the line still counts.
 */
const trendLine = z
  .object({
    kind: z.literal('trend_line'),
    ...common,
    from: lineAnchorSchema,
    to: lineAnchorSchema,
    extend: z.enum(['none', 'right', 'both']).default('right'),
    on: z.enum(['trade', 'bar']).default('trade'),
    period: period.optional(),
    direction,
  })
  .refine((r) => r.from.time !== r.to.time, { message: 'anchors need two different times', path: ['to'] })
  .refine((r) => r.on === 'trade' || r.period !== undefined, {
    message: 'a rule on bars needs a period',
    path: ['period'],
  });

/** Price (each trade) enters or exits the price band [min(from,to), max(from,to)]. */
const zone = z.object({
  kind: z.literal('zone'),
  ...common,
  from: price,
  to: price,
  event: z.enum(['enter', 'exit', 'either']),
});

/** Each kind's own schema: validating against it names the fields that kind needs. */
export const ALERT_RULE_SCHEMAS = {
  price_level: priceLevel,
  percent_move: percentMove,
  volume_spike: volumeSpike,
  ma_cross: maCross,
  indicator_threshold: indicatorThreshold,
  candle_pattern: candlePattern,
  trend_line: trendLine,
  zone,
} as const;

/** The rule kinds, in catalogue order. */
export const ALERT_RULE_KINDS = Object.keys(ALERT_RULE_SCHEMAS) as (keyof typeof ALERT_RULE_SCHEMAS)[];

export const alertRuleSchema = z.union([
  priceLevel,
  percentMove,
  volumeSpike,
  maCross,
  indicatorThreshold,
  candlePattern,
  trendLine,
  zone,
]);

/** A rule as stored (defaults applied). */
export type AlertRule = z.output<typeof alertRuleSchema>;
/** A rule as written by a caller (defaults optional). */
export type AlertRuleInput = z.input<typeof alertRuleSchema>;
export type AlertRuleKind = AlertRule['kind'];
export type LineAnchor = z.output<typeof lineAnchorSchema>;

/** Rules evaluated on each sequenced trade; the others on final bars. */
export function isTradeRule(rule: AlertRule): boolean {
  return (
    rule.kind === 'price_level' ||
    rule.kind === 'percent_move' ||
    rule.kind === 'zone' ||
    (rule.kind === 'trend_line' && rule.on === 'trade')
  );
}

/** The bar period a bar rule reads (undefined for a trade rule). */
export function ruleBarPeriod(rule: AlertRule): BuiltPeriod | undefined {
  return isTradeRule(rule) ? undefined : (rule as { period?: BuiltPeriod }).period;
}

/** The trend line's price at `timeUs`, or NaN where `extend` says the line is not there. */
export function linePriceAt(
  from: LineAnchor,
  to: LineAnchor,
  extend: 'none' | 'right' | 'both',
  timeUs: number,
): number {
  const a = from.time < to.time ? from : to;
  const b = a === from ? to : from;
  if (timeUs < a.time && extend !== 'both') return Number.NaN;
  if (timeUs > b.time && extend === 'none') return Number.NaN;
  return a.price + ((b.price - a.price) * (timeUs - a.time)) / (b.time - a.time);
}
