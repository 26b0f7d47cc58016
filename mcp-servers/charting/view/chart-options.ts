/** lightweight-charts options of the view per theme (colours shared with the PNG chart). */
import {
  type CandlestickSeriesPartialOptions,
  ColorType,
  CrosshairMode,
  type DeepPartial,
  type TimeChartOptions,
} from 'lightweight-charts';
import { type ChartTheme, THEMES } from '../render/theme.ts';

export { type ChartTheme, THEMES };

/** Pixels per bar lightweight-charts starts with (its default); a fitted short history gets at most MAX. */
export const DEFAULT_BAR_SPACING = 6;
const MAX_BAR_SPACING = 40;

export function chartOptions(t: ChartTheme): DeepPartial<TimeChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: t.background },
      textColor: t.text,
      attributionLogo: false,
      panes: { separatorColor: t.grid, enableResize: true },
    },
    grid: { vertLines: { color: t.grid }, horzLines: { color: t.grid } },
    crosshair: { mode: CrosshairMode.Normal },
    rightPriceScale: { borderColor: t.grid },
    timeScale: {
      borderColor: t.grid,
      timeVisible: true,
      secondsVisible: false,
      rightOffset: 6,
      maxBarSpacing: MAX_BAR_SPACING,
    },
  };
}

export function candleOptions(t: ChartTheme, decimals: number): CandlestickSeriesPartialOptions {
  return {
    upColor: t.up,
    downColor: t.down,
    borderUpColor: t.up,
    borderDownColor: t.down,
    wickUpColor: t.up,
    wickDownColor: t.down,
    priceFormat: { type: 'price', precision: decimals, minMove: 10 ** -decimals },
  };
}
