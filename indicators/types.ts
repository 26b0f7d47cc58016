/** A price/volume series the indicators read. `time` is epoch MICROSECONDS (the project's `*_us` convention). */
export type SeriesName = 'open' | 'high' | 'low' | 'close' | 'volume' | 'time';

/**
 * Bars as parallel columns (one entry per bar, oldest first). Only the columns an
 * indicator lists in `inputs` are needed; all given columns must have the same length.
 */
export type IndicatorInput = Partial<Record<SeriesName, Float64Array | readonly number[]>>;

/** One numeric parameter of an indicator, with its valid range. */
export interface IndicatorParamSpec {
  readonly name: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** `true` when only whole numbers are valid (periods). */
  readonly integer: boolean;
  readonly description: string;
}

/** What an agent or chart needs to know to offer an indicator. */
export interface IndicatorInfo {
  /** Registry key, lower-case (`sma`, `bbands`, `ichimoku`). */
  readonly name: string;
  readonly title: string;
  readonly params: readonly IndicatorParamSpec[];
  /** Output column names, in display order. */
  readonly outputs: readonly string[];
  readonly inputs: readonly SeriesName[];
  /** `true`: drawn on the price pane; `false`: its own sub-pane. */
  readonly overlay: boolean;
}

/** Output columns (same length as the input; NaN where undefined) and the first index where all are defined. */
export interface IndicatorResult {
  readonly columns: Record<string, Float64Array>;
  /** Index of the first bar at which every column has a value (= number of warm-up bars). */
  readonly warmup: number;
}

/** Validated inputs handed to an indicator's compute function. */
export type Series = Record<SeriesName, Float64Array>;

/** A registry entry: the description plus the pure function computing it. */
export interface IndicatorDefinition extends IndicatorInfo {
  readonly compute: (
    series: Series,
    params: Readonly<Record<string, number>>,
  ) => Record<string, Float64Array>;
}
