import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  checkPeriod,
  exchangeField,
  fromField,
  guard,
  isoOfUs,
  parseTime,
  resolveSeries,
  symbolField,
  textResult,
  toCsv,
  toField,
} from '../../common/index.ts';
import type { MarketDataServerDeps } from '../deps.ts';
import { isoOfTrade } from '../summary.ts';

export const getCoverageInput = z.object({
  symbol: symbolField,
  exchange: exchangeField,
  period: z.string().min(1).max(20).optional().describe('Bar period whose gaps to list (default 1m).'),
  from: fromField,
  to: toField,
  max_gaps: z.number().int().min(1).max(200).optional().describe('Most gaps listed (default 20).'),
});

/** `get_coverage`: what is stored for a symbol, and the holes. */
export function registerGetCoverageTool(server: McpServer, deps: MarketDataServerDeps): void {
  server.registerTool(
    'get_coverage',
    {
      title: 'Get coverage',
      description:
        'What the store holds for a symbol (datasets, rows, time ranges) and where the holes are: missing bars of a period and missing venue trade ids.',
      inputSchema: getCoverageInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('get_coverage', deps.logger, async (args: z.infer<typeof getCoverageInput>) => {
      const id = await resolveSeries(deps.market, args.symbol, args.exchange);
      const period = checkPeriod(args.period ?? '1m');
      const maxGaps = args.max_gaps ?? 20;
      const series = deps.market.describeSeries({ venue: id.venue, symbol: id.symbol });
      const datasets = toCsv(
        ['dataset', 'rows', 'files', 'from', 'to', 'first_seq', 'last_seq'],
        series.map((s) => [
          s.dataset,
          s.rows,
          s.files,
          isoOfUs(s.minTimeUs),
          isoOfUs(s.maxTimeUs),
          s.minSeq ?? '',
          s.maxSeq ?? '',
        ]),
      );
      const paragraphs = [`${id.venue}:${id.symbol}: ${series.length} stored dataset(s).`, datasets];
      const bars =
        series.find((s) => s.dataset === `bars_${period}`) ?? series.find((s) => s.dataset === 'bars_1m');
      const fromUs = args.from ? parseTime(args.from, 'from') : bars?.minTimeUs;
      const toUs = args.to ? parseTime(args.to, 'to') : bars === undefined ? undefined : bars.maxTimeUs + 1;
      if (fromUs !== undefined && toUs !== undefined && fromUs < toUs) {
        const c = await deps.market.barCoverage({ ...id, period, fromUs, toUs, maxGaps });
        paragraphs.push(
          `${period} bars ${isoOfUs(c.fromUs)}..${isoOfUs(c.toUs)}: ${c.present} of ${c.expected} present, ${c.missing} missing in ${c.gaps.length}${c.gaps.length === maxGaps ? '+' : ''} gap(s).`,
        );
        if (c.gaps.length) {
          paragraphs.push(
            toCsv(
              ['gap_from', 'gap_to', 'missing_bars'],
              c.gaps.map((g) => [isoOfUs(g.fromUs), isoOfUs(g.toUs), g.missing]),
            ),
          );
        }
      }
      if (series.some((s) => s.dataset === 'trades')) {
        const g = await deps.market.tradeGaps({
          ...id,
          fromUs: args.from ? fromUs : undefined,
          toUs: args.to ? toUs : undefined,
          maxGaps,
        });
        paragraphs.push(
          `Trades: ${g.rows} rows, seq ${g.firstSeq}..${g.lastSeq} (${g.seqHoles} seq holes), venue ids ${g.firstTradeId}..${g.lastTradeId} with ${g.missingTradeIds} missing in ${g.holes.length} hole(s).`,
        );
        if (g.holes.length) {
          paragraphs.push(
            toCsv(
              ['after_id', 'before_id', 'after_time', 'before_time'],
              g.holes.map((h) => [
                h.afterId,
                h.beforeId,
                isoOfTrade(h.afterTimeUs),
                isoOfTrade(h.beforeTimeUs),
              ]),
            ),
          );
        }
      }
      return textResult(...paragraphs);
    }),
  );
}
