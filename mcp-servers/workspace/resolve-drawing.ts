/**
 * Resolves a drawing before it is stored: anchors asking for `snap` move onto the bar of the
 * workspace chart's symbol and period that holds their time (its open time, and its
 * open/high/low/close as the price). One function for every channel that adds drawings — the
 * MCP `add_drawing` tool and the gateway's `PUT /api/workspace/drawings` — so both snap alike.
 */

import { bucketStartUs } from '../../core/periods/index.ts';
import { anchorsOf, type Drawing, type SnapBar, snapDrawing } from '../charting/catalogue.ts';
import { checkPeriod, invalidArgument, isoOfUs, type MarketDataSource } from '../common/index.ts';
import type { WorkspaceKey, WorkspaceStore } from './workspace-store.ts';

/** What resolving needs: the workspace (for its chart) and the bars' source. */
export interface ResolveDrawingDeps {
  readonly workspaces: WorkspaceStore;
  readonly market?: MarketDataSource;
}

/**
 * `drawing` with every `snap` anchor on its bar; `drawing` itself when none asks to snap.
 * Throws a ToolInputError (an InvalidInputError) when there is no chart to snap against, no
 * market data, or no stored bar holding an anchor's time.
 */
export async function resolveDrawing(
  deps: ResolveDrawingDeps,
  key: WorkspaceKey,
  drawing: Drawing,
): Promise<Drawing> {
  const snapped = anchorsOf(drawing).filter((a) => a.snap !== undefined);
  if (snapped.length === 0) return drawing;
  const { chart } = await deps.workspaces.load(key);
  if (chart === null) {
    invalidArgument(
      'snap',
      "set_chart first: snapping an anchor needs the chart's symbol and period to find its bar (or drop snap and give the price)",
    );
  }
  if (deps.market === undefined) {
    invalidArgument('snap', 'this server has no market data to snap against; drop snap and give the price');
  }
  const market = deps.market;
  const period = checkPeriod(chart.period, 'chart.period');
  const series = `${chart.exchange}:${chart.symbol} ${chart.period}`;
  const opens = [...new Set(snapped.map((a) => bucketStartUs(period, a.time)))].sort((a, b) => a - b);
  const bars = await Promise.all(
    opens.map(async (openUs): Promise<SnapBar> => {
      const [bar] = await market.getBars({
        venue: chart.exchange,
        symbol: chart.symbol,
        period,
        fromUs: openUs,
        toUs: openUs + 1,
        limit: 1,
      });
      if (bar === undefined) {
        invalidArgument('snap', `no ${series} bar opening at ${isoOfUs(openUs)} in the store to snap to`);
      }
      return {
        time: bar.openTimeUs,
        open: Number(bar.open),
        high: Number(bar.high),
        low: Number(bar.low),
        close: Number(bar.close),
      };
    }),
  );
  return snapDrawing(drawing, bars);
}
