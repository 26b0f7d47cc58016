import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  exchangeField,
  formatNumber,
  fromField,
  guard,
  invalidArgument,
  isoOfUs,
  loadBars,
  MAX_BARS,
  resolveSeries,
  type SeriesId,
  type ToolExtra,
  toField,
} from '../../common/index.ts';
import { prepareIndicator } from '../../indicators/index.ts';
import { buildChartSpec } from '../build-spec.ts';
import type { ChartingServerDeps } from '../deps.ts';
import { drawingSchema, type RenderedChart, renderChartPng } from '../render/index.ts';

export const renderChartInput = z.object({
  symbol: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe("Symbol (BTCUSDT or BTC/USDT); omitted: the workspace's chart."),
  exchange: exchangeField,
  period: z
    .string()
    .min(1)
    .max(20)
    .optional()
    .describe("Bar period, e.g. 5m, 1h; omitted: the workspace's (or 1h)."),
  from: fromField,
  to: toField,
  bars: z
    .number()
    .int()
    .min(10)
    .max(MAX_BARS)
    .optional()
    .describe(
      `Bars to draw when the range is open (default: the workspace's, else 200; at most ${MAX_BARS}).`,
    ),
  indicators: z
    .array(
      z.object({
        indicator: z
          .string()
          .min(1)
          .max(30)
          .describe('Indicator name (list_indicators), e.g. sma, rsi, macd.'),
        params: z
          .record(z.string(), z.number())
          .optional()
          .describe('Parameters by name, e.g. {"period": 50}.'),
      }),
    )
    .max(10)
    .optional()
    .describe(
      'Indicators to draw in addition to the workspace ones: overlays on price, oscillators in sub-panes (≤ 3).',
    ),
  drawings: z
    .array(drawingSchema)
    .max(50)
    .optional()
    .describe(
      'Drawings to add (hline, trendline, rect, vline, text, marker; times in epoch µs), besides the workspace ones.',
    ),
  use_workspace: z
    .boolean()
    .optional()
    .describe("Include the workspace's indicators and drawings (default true)."),
  theme: z.enum(['light', 'dark']).optional().describe("Theme (default: the workspace's, else dark)."),
  width: z.number().int().min(320).max(3000).optional().describe('Image width in pixels (default 1000).'),
  height: z.number().int().min(240).max(2000).optional().describe('Image height in pixels (default 600).'),
  volume: z.boolean().optional().describe('Show the volume histogram (default true).'),
});

/** A chart drawn by {@link renderChart}: the PNG, its one-line summary and what it shows. */
export interface DrawnChart {
  readonly rendered: RenderedChart;
  readonly text: string;
  readonly series: SeriesId;
  readonly period: string;
  readonly theme: 'light' | 'dark';
  /** The range asked for (the workspace's when no symbol was given). */
  readonly from?: string;
  readonly to?: string;
  /** Bars asked for when the range is open. */
  readonly bars: number;
}

/**
 * The rendering path of `render_chart` (and `show_chart`): resolves the chart from the
 * arguments and the caller's workspace, loads its bars and draws the PNG.
 */
export async function renderChart(
  deps: ChartingServerDeps,
  args: z.infer<typeof renderChartInput>,
  extra: ToolExtra,
): Promise<DrawnChart> {
  const ctx = deps.resolveContext(extra);
  const useWorkspace = args.use_workspace ?? true;
  const ws = useWorkspace || args.symbol === undefined ? await deps.workspaces.load(ctx) : null;
  const chart = ws?.chart ?? null;
  const fromWorkspace = args.symbol === undefined;
  if (fromWorkspace && chart === null) {
    invalidArgument('symbol', 'give a symbol: the workspace has no chart set yet (set_chart)');
  }
  const series = fromWorkspace
    ? await resolveSeries(deps.market, chart!.symbol, chart!.exchange)
    : await resolveSeries(deps.market, args.symbol!, args.exchange);
  const period = args.period ?? (fromWorkspace ? chart!.period : (chart?.period ?? '1h'));
  const fromWs = useWorkspace ? (ws?.indicators ?? []).map((i) => prepareIndicator(i.name, i.params)) : [];
  const fromArgs = (args.indicators ?? []).map((i, k) => {
    try {
      return prepareIndicator(i.indicator, i.params ?? {});
    } catch (error) {
      return invalidArgument(`indicators[${k}]`, error instanceof Error ? error.message : String(error));
    }
  });
  const requests = [...fromWs, ...fromArgs];
  const warmup = Math.max(0, ...requests.map((r) => r.lookback));
  const from = args.from ?? (fromWorkspace ? chart!.from : undefined);
  const to = args.to ?? (fromWorkspace ? chart!.to : undefined);
  const limit = args.bars ?? chart?.bars ?? 200;
  const loaded = await loadBars(deps.market, { series, period, from, to, limit, warmup });
  const shown = loaded.bars.slice(loaded.warmup);
  if (shown.length === 0) {
    invalidArgument(
      'from',
      `no ${period} bars of ${series.venue}:${series.symbol} in that range; get_coverage shows what is stored`,
    );
  }
  const drawings = [
    ...(useWorkspace ? (ws?.drawings ?? []).map((d) => d.drawing) : []),
    ...(args.drawings ?? []),
  ];
  const theme = args.theme ?? chart?.theme ?? 'dark';
  const spec = buildChartSpec({
    title: `${series.venue}:${series.symbol} ${period}`,
    bars: loaded.bars,
    warmup: loaded.warmup,
    indicators: requests,
    drawings: drawings.slice(-50),
    theme,
    width: args.width ?? 1000,
    height: args.height ?? 600,
    showVolume: args.volume ?? true,
  });
  const rendered = await renderChartPng(spec);
  const first = shown[0]!;
  const last = shown[shown.length - 1]!;
  const change = (Number(last.close) / Number(first.open) - 1) * 100;
  const text = `${series.venue}:${series.symbol} ${period}, ${shown.length} bars ${isoOfUs(first.openTimeUs)}..${isoOfUs(last.openTimeUs)}: last close ${last.close} (${change >= 0 ? '+' : ''}${formatNumber(change, 3)}% over the chart). ${requests.length} indicator(s): ${requests.map((r) => r.label).join(', ') || 'none'}; ${drawings.length} drawing(s). PNG ${rendered.width}x${rendered.height}.`;
  return {
    rendered,
    text,
    series,
    period,
    theme,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    bars: limit,
  };
}

/** MCP image content of a rendered chart. */
export const pngContent = (rendered: RenderedChart) =>
  ({ type: 'image', data: Buffer.from(rendered.png).toString('base64'), mimeType: 'image/png' }) as const;

/** `render_chart`: a PNG candlestick chart as image content, with the chart spec as structured content. */
export function registerRenderChartTool(server: McpServer, deps: ChartingServerDeps): void {
  server.registerTool(
    'render_chart',
    {
      title: 'Render chart',
      description:
        "Draw a candlestick chart as a PNG image: candles and volume, indicator overlays and oscillator panes, drawings. With no symbol it draws the user's workspace chart (its indicators and drawings too).",
      inputSchema: renderChartInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('render_chart', deps.logger, async (args: z.infer<typeof renderChartInput>, extra: ToolExtra) => {
      const { rendered, text } = await renderChart(deps, args, extra);
      return {
        content: [pngContent(rendered), { type: 'text', text }],
        structuredContent: { spec: rendered.spec },
      };
    }),
  );
}
