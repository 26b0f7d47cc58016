/**
 * Technical indicators as pure functions over columns of numbers (Float64Array in, out).
 * Every output has the input's length so it aligns with the bars; NaN marks the warm-up
 * region (and any bar where the indicator is undefined). TA-Lib's indicators agree with
 * the current TA-Lib release (0.8.1, default settings) to 1e-9 relative on held-out real
 * candles, most of them to the last bit; see `reference/talib-heldout.test.ts`.
 *
 * @example
 * const { columns, warmup } = computeIndicator('bbands', { close }, { period: 20 });
 * columns.upper; // Float64Array, NaN for the first `warmup` bars
 */
import { InvalidIndicatorInputError, UnknownIndicatorError } from './errors.ts';
import { firstValidIndex } from './kernels/series.ts';
import { buildParamsSchema, parseParams } from './params.ts';
import { extraDefinitions } from './registry/extra.ts';
import { averageDefinitions } from './registry/talib-averages.ts';
import { oscillatorDefinitions } from './registry/talib-oscillators.ts';
import { volumeVolatilityDefinitions } from './registry/talib-volume-volatility.ts';
import type {
  IndicatorDefinition,
  IndicatorInfo,
  IndicatorInput,
  IndicatorResult,
  Series,
  SeriesName,
} from './types.ts';

export { aroon } from './aroon.ts';
export { donchian, keltner } from './channels.ts';
export { directionalMovement } from './directional-movement.ts';
export { InvalidIndicatorInputError, UnknownIndicatorError } from './errors.ts';
export { ichimoku } from './ichimoku.ts';
export { emaFactor, emaFrom } from './kernels/ema.ts';
export { rollingMax, rollingMin } from './kernels/rolling-extremes.ts';
export { smaFrom } from './kernels/sma.ts';
export { macd } from './macd.ts';
export { dema, ema, hma, kama, sma, tema, trima, wma } from './moving-averages.ts';
export { cci, mom, roc, rsi, stoch, typicalPrice, ultosc, willr } from './oscillators.ts';
export { sar } from './sar.ts';
export { supertrend } from './supertrend.ts';
export type {
  IndicatorInfo,
  IndicatorInput,
  IndicatorParamSpec,
  IndicatorResult,
  SeriesName,
} from './types.ts';
export { atr, bbands, natr, stddev, trange } from './volatility.ts';
export { ad, adosc, mfi, obv, vwma } from './volume.ts';
export { vwap } from './vwap.ts';

const definitions: ReadonlyMap<string, IndicatorDefinition> = new Map(
  [...averageDefinitions, ...oscillatorDefinitions, ...volumeVolatilityDefinitions, ...extraDefinitions].map(
    (d) => [d.name, d],
  ),
);
const schemas = new Map([...definitions.values()].map((d) => [d.name, buildParamsSchema(d.params)]));
const EMPTY = new Float64Array(0);

/** Every indicator with its params, outputs, inputs and pane placement (no compute functions). */
export function listIndicators(): IndicatorInfo[] {
  return [...definitions.values()].map(({ compute: _compute, ...info }) => info);
}

/** The description of indicator `name`; throws {@link UnknownIndicatorError} listing valid names. */
export function getIndicatorInfo(name: string): IndicatorInfo {
  const { compute: _compute, ...info } = findDefinition(name);
  return info;
}

/**
 * Validates `params` for indicator `name` and fills defaults, without computing
 * (e.g. to reject a tool call before fetching bars). Throws like {@link computeIndicator}.
 */
export function parseIndicatorParams(name: string, params: unknown = {}): Record<string, number> {
  const def = findDefinition(name);
  return parseParams(def.name, schemas.get(def.name)!, params);
}

/**
 * Number of warm-up bars (leading NaNs) indicator `name` has with `params`: how many
 * extra bars to load before the first bar a caller wants to see. Found by running the
 * indicator on a small synthetic series, so it can never disagree with the code.
 */
export function indicatorLookback(name: string, params: unknown = {}): number {
  const parsed = parseIndicatorParams(name, params);
  let span = 64;
  for (const value of Object.values(parsed)) span += 3 * Math.ceil(Math.abs(value));
  const close = Float64Array.from({ length: span }, (_, i) => 100 + 10 * Math.sin(i / 7) + (i % 5));
  const bars = {
    open: close,
    high: close.map((c) => c + 2),
    low: close.map((c) => c - 2),
    close,
    volume: close.map((_, i) => 1 + (i % 3)),
    // one-second bars inside a single UTC day, so session-anchored indicators do not reset
    time: close.map((_, i) => i * 1_000_000),
  };
  return computeIndicator(name, bars, parsed).warmup;
}

function findDefinition(name: string): IndicatorDefinition {
  const def = definitions.get(name.toLowerCase());
  if (def === undefined) throw new UnknownIndicatorError(name, [...definitions.keys()]);
  return def;
}

/**
 * Computes indicator `name` over the bars in `input` with `params` (missing params take
 * their defaults). Throws {@link UnknownIndicatorError} naming the valid indicators, or
 * {@link InvalidIndicatorInputError} for bad params or missing/misaligned columns.
 */
export function computeIndicator(name: string, input: IndicatorInput, params: unknown = {}): IndicatorResult {
  const def = findDefinition(name);
  const parsed = parseParams(def.name, schemas.get(def.name)!, params);
  return run(def, toSeries(def.name, def.inputs, input), parsed);
}

/** One entry of a {@link computeIndicators} batch. */
export interface IndicatorRequest {
  readonly name: string;
  readonly params?: unknown;
}

/**
 * Computes several indicators over the same bars, checking the input columns once.
 * Every name and params object is validated before anything is computed, so a bad
 * request fails the batch up front. Results are in request order.
 */
export function computeIndicators(
  input: IndicatorInput,
  requests: readonly IndicatorRequest[],
): IndicatorResult[] {
  const defs = requests.map((r) => findDefinition(r.name));
  const parsed = requests.map((r, i) =>
    parseParams(defs[i]!.name, schemas.get(defs[i]!.name)!, r.params ?? {}),
  );
  const needed = [...new Set(defs.flatMap((d) => d.inputs))];
  const series = toSeries(defs.map((d) => d.name).join('+'), needed, input);
  return defs.map((def, i) => run(def, series, parsed[i]!));
}

function run(def: IndicatorDefinition, series: Series, params: Record<string, number>): IndicatorResult {
  const columns = def.compute(series, params);
  let warmup = 0;
  for (const column of Object.values(columns)) warmup = Math.max(warmup, firstValidIndex(column));
  return { columns, warmup };
}

function toSeries(label: string, inputs: readonly SeriesName[], input: IndicatorInput): Series {
  const series: Record<SeriesName, Float64Array> = {
    open: EMPTY,
    high: EMPTY,
    low: EMPTY,
    close: EMPTY,
    volume: EMPTY,
    time: EMPTY,
  };
  const missing = inputs.filter((k) => input[k] === undefined);
  if (missing.length > 0) {
    throw new InvalidIndicatorInputError(label, 'input', [
      `missing input column(s) ${missing.join(', ')}; ${label} needs ${inputs.join(', ')}`,
    ]);
  }
  let length = -1;
  for (const key of inputs) {
    const column = input[key]!;
    const values = column instanceof Float64Array ? column : Float64Array.from(column);
    if (length === -1) length = values.length;
    else if (values.length !== length) {
      throw new InvalidIndicatorInputError(label, 'input', [
        `input columns differ in length (${inputs[0]}: ${length}, ${key}: ${values.length})`,
      ]);
    }
    // One NaN would poison every running sum after it (TA-Lib has the same hazard), so
    // reject it here with its position rather than return silently wrong columns.
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) {
        throw new InvalidIndicatorInputError(label, 'input', [
          `${key}[${i}] is ${values[i]}; input values must be finite numbers (fill or drop gaps first)`,
        ]);
      }
    }
    series[key] = values;
  }
  return series;
}
