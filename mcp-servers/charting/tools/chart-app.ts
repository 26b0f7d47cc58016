/**
 * The chart as an MCP App: the `ui://` resource (the built single-file page), the
 * model-visible `show_chart` (summary + PNG for hosts without Apps, the chart reference as
 * structured content for the app) and the app-only `chart_data` the page calls to pan, switch
 * periods and refresh the live chart (`since`: the bars from its last one on, with the workspace's
 * current drawings), which costs no model tokens.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  RESOURCE_MIME_TYPE,
  registerAppResource,
  registerAppTool,
} from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { QuantForgeError } from '../../../core/errors.ts';
import {
  exchangeField,
  fromField,
  guard,
  invalidArgument,
  loadBars,
  periodField,
  resolveSeries,
  symbolField,
  type ToolExtra,
  toField,
} from '../../common/index.ts';
import { APP_MAX_BARS, CHART_APP_URI, type ChartData, type ChartRef } from '../app/payload.ts';
import type { ChartingServerDeps } from '../deps.ts';
import { pngContent, renderChart, renderChartInput } from './render-chart.ts';

/** Where `npm run build` writes the app's page (scripts/build-web.mjs). */
export const CHART_APP_HTML = fileURLToPath(new URL('../../../dist/mcp-app/chart.html', import.meta.url));
/** Bars `chart_data` answers with when none are asked for. */
const DEFAULT_APP_BARS = 300;

/** The app's page has not been built into dist/. */
export class ChartAppNotBuiltError extends QuantForgeError {
  override readonly name: string = 'ChartAppNotBuiltError';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`the chart MCP App is not built (${file} is missing): run \`npm run build\``, { cause });
  }
}

const showChartInput = renderChartInput.pick({
  symbol: true,
  exchange: true,
  period: true,
  from: true,
  to: true,
  bars: true,
  theme: true,
});

const chartDataInput = z.object({
  symbol: symbolField,
  exchange: exchangeField,
  period: periodField,
  from: fromField,
  to: toField,
  since: z
    .string()
    .optional()
    .describe(
      'Refresh: only the bars opening at or after this time (ISO 8601 UTC; the last bar shown, which may have changed), the first `bars` of them. Not with from.',
    ),
  bars: z
    .number()
    .int()
    .min(10)
    .max(APP_MAX_BARS)
    .optional()
    .describe(
      `Bars when the range is open: the latest, or the first from since (default ${DEFAULT_APP_BARS}, at most ${APP_MAX_BARS}).`,
    ),
});

/** Registers the app resource, `show_chart` and the app-only `chart_data`. */
export function registerChartApp(server: McpServer, deps: ChartingServerDeps): void {
  const htmlFile = deps.appHtmlFile ?? CHART_APP_HTML;
  registerAppResource(
    server,
    'QuantForge chart',
    CHART_APP_URI,
    { description: "Interactive candlestick chart with the user's workspace indicators and drawings." },
    async () => {
      let html: string;
      try {
        html = await readFile(htmlFile, 'utf8');
      } catch (error) {
        throw new ChartAppNotBuiltError(htmlFile, error);
      }
      return { contents: [{ uri: CHART_APP_URI, mimeType: RESOURCE_MIME_TYPE, text: html }] };
    },
  );

  registerAppTool(
    server,
    'show_chart',
    {
      title: 'Show chart',
      description:
        "Show the user an interactive candlestick chart (pan, zoom, period switch) with the workspace's indicators and drawings; hosts without MCP Apps get a PNG. With no symbol it shows the workspace's chart.",
      inputSchema: showChartInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      _meta: { ui: { resourceUri: CHART_APP_URI } },
    },
    guard('show_chart', deps.logger, async (args: z.infer<typeof showChartInput>, extra: ToolExtra) => {
      const drawn = await renderChart(deps, args, extra);
      const chart: ChartRef = {
        exchange: drawn.series.venue,
        symbol: drawn.series.symbol,
        period: drawn.period,
        ...(drawn.from === undefined ? {} : { from: drawn.from }),
        ...(drawn.to === undefined ? {} : { to: drawn.to }),
        bars: drawn.bars,
        theme: drawn.theme,
      };
      return {
        content: [{ type: 'text', text: drawn.text }, pngContent(drawn.rendered)],
        structuredContent: { chart },
      };
    }),
  );

  registerAppTool(
    server,
    'chart_data',
    {
      title: 'Chart data (app)',
      description:
        "Bars of a series with the workspace's indicators and drawings, for the chart app's pans, period switches and live refresh.",
      inputSchema: chartDataInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      _meta: { ui: { resourceUri: CHART_APP_URI, visibility: ['app'] } },
    },
    guard('chart_data', deps.logger, async (args: z.infer<typeof chartDataInput>, extra: ToolExtra) => {
      const ws = await deps.workspaces.load(deps.resolveContext(extra));
      if (args.since !== undefined && args.from !== undefined) {
        invalidArgument('since', 'give since (a refresh) or from (a range), not both');
      }
      const series = await resolveSeries(deps.market, args.symbol, args.exchange);
      const limit = args.bars ?? DEFAULT_APP_BARS;
      // Without `to`, loadBars answers the first `limit` bars from `from`: what a refresh wants.
      const loaded = await loadBars(deps.market, {
        series,
        period: args.period,
        from: args.from ?? args.since,
        to: args.to,
        limit,
      });
      const bars = loaded.bars.map((b) => ({
        time: b.openTimeUs / 1e6,
        open: Number(b.open),
        high: Number(b.high),
        low: Number(b.low),
        close: Number(b.close),
        volume: Number(b.volume),
      }));
      const data: ChartData = {
        chart: {
          exchange: series.venue,
          symbol: series.symbol,
          period: args.period,
          ...(args.from === undefined ? {} : { from: args.from }),
          ...(args.to === undefined ? {} : { to: args.to }),
          bars: limit,
          theme: ws.chart?.theme ?? 'dark',
        },
        bars,
        older: bars.length > 0 && ((args.from ?? args.since) !== undefined || bars.length >= limit),
        indicators: ws.indicators,
        drawings: ws.drawings,
      };
      return {
        content: [
          {
            type: 'text',
            text: `${series.venue}:${series.symbol} ${args.period}: ${bars.length} bars, ${ws.drawings.length} drawing(s), ${ws.indicators.length} indicator(s).`,
          },
        ],
        structuredContent: data,
      };
    }),
  );
}
