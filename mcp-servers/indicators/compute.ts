/**
 * Indicators over loaded bars, for the indicators and charting servers: validates the name and
 * params before any bars are fetched, loads warm-up bars so the first shown value is defined,
 * and cuts the warm-up off again.
 */

import {
  computeIndicator,
  getIndicatorInfo,
  type IndicatorInfo,
  indicatorLookback,
  parseIndicatorParams,
} from '../../indicators/index.ts';
import type { StoredBar } from '../../pipeline/store/index.ts';
import { barColumns } from '../common/index.ts';
import { indicatorLabel } from './presentation.ts';

/** A validated indicator request. */
export interface IndicatorRequest {
  readonly info: IndicatorInfo;
  readonly params: Record<string, number>;
  /** Bars of warm-up to load before the first shown bar. */
  readonly lookback: number;
  /** e.g. `RSI(14)`, `MACD(12,26,9)`. */
  readonly label: string;
}

/** Validates `name` and `params` (throws the indicator library's field-naming errors). */
export function prepareIndicator(name: string, params: unknown = {}): IndicatorRequest {
  const info = getIndicatorInfo(name);
  const parsed = parseIndicatorParams(info.name, params);
  return {
    info,
    params: parsed,
    lookback: indicatorLookback(info.name, parsed),
    label: indicatorLabel(info.name, parsed),
  };
}

/** Output columns over `bars`, with the first `skip` bars (warm-up) cut off. */
export function computeOnBars(
  req: IndicatorRequest,
  bars: readonly StoredBar[],
  skip: number,
): Record<string, Float64Array> {
  const c = barColumns(bars);
  const { columns } = computeIndicator(req.info.name, c, req.params);
  const out: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(columns)) out[k] = v.subarray(skip);
  return out;
}
