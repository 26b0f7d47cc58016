/**
 * Server-side chart rendering: a validated chart spec -> ECharts (SSR, SVG) -> PNG with resvg.
 * Used by the charting MCP server and anything else that sends chart images (Telegram).
 * ECharts and resvg load on the first render (~0.5 s), not when this module is imported, so a
 * process that only validates specs or drawings does not pay for them.
 *
 * @example
 * const { png, width, height } = await renderChartPng({ bars, overlays: [{ name: 'SMA 20', values }] });
 */
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
export async function renderChartSvg(input: ChartSpecInput): Promise<{ svg: string; spec: ChartSpec }> {
  const spec = chartSpecSchema.parse(input);
  const echarts = await import('echarts');
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
export async function renderChartPng(input: ChartSpecInput): Promise<RenderedChart> {
  const { svg, spec } = await renderChartSvg(input);
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: spec.theme === 'dark' ? '#131722' : '#ffffff',
  });
  const image = resvg.render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height, spec };
}
