/**
 * Server-side chart rendering: a validated chart spec -> ECharts (SSR, SVG) -> PNG with resvg.
 * Used by the charting MCP server and anything else that sends chart images (Telegram).
 *
 * @example
 * const { png, width, height } = renderChartPng({ bars, overlays: [{ name: 'SMA 20', values }] });
 */
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { toEChartsOption } from './options.ts';
import { type ChartSpec, type ChartSpecInput, chartSpecSchema } from './spec.ts';

export * from './spec.ts';
export { type ChartTheme, THEMES } from './theme.ts';

/** A rendered chart. */
export interface RenderedChart {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** The validated spec, with defaults filled in. */
  readonly spec: ChartSpec;
}

/** Validates a spec (throws the zod error naming the bad field) and renders it to SVG. */
export function renderChartSvg(input: ChartSpecInput): { svg: string; spec: ChartSpec } {
  const spec = chartSpecSchema.parse(input);
  // SSR mode has no DOM and no timers once disposed; one instance per render keeps renders independent.
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: spec.width,
    height: spec.height,
  });
  try {
    chart.setOption(toEChartsOption(spec));
    return { svg: chart.renderToSVGString(), spec };
  } finally {
    chart.dispose();
  }
}

/** Renders a chart spec to a PNG of exactly `spec.width` x `spec.height` pixels. */
export function renderChartPng(input: ChartSpecInput): RenderedChart {
  const { svg, spec } = renderChartSvg(input);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: spec.theme === 'dark' ? '#131722' : '#ffffff',
  });
  const image = resvg.render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height, spec };
}
