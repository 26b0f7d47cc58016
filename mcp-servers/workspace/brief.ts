/**
 * The workspace brief an agent always has in context: at most ~1,000 characters naming the
 * chart, indicators and drawings (references, never data).
 */
import type { Drawing } from '../charting/render/index.ts';
import { formatNumber, isoOfUs } from '../common/index.ts';
import type { Workspace } from './model.ts';

/** Hard bound on the brief's length. */
export const BRIEF_MAX_CHARS = 1000;

function describeDrawing(d: Drawing): string {
  const at = (t: number) => isoOfUs(t).slice(0, 16);
  switch (d.type) {
    case 'hline':
      return `hline ${formatNumber(d.price)}${d.label ? ` "${d.label}"` : ''}`;
    case 'vline':
      return `vline ${at(d.time)}${d.label ? ` "${d.label}"` : ''}`;
    case 'trendline':
    case 'rect':
      return `${d.type} ${at(d.from.time)}@${formatNumber(d.from.price)}→${at(d.to.time)}@${formatNumber(d.to.price)}`;
    case 'text':
      return `text "${d.text.slice(0, 30)}" ${at(d.time)}`;
    case 'marker':
      return `${d.side} ${at(d.time)}@${formatNumber(d.price)}`;
    default:
      return d.type;
  }
}

/** The brief of `ws`, never longer than {@link BRIEF_MAX_CHARS}. */
export function formatBrief(ws: Workspace): string {
  const c = ws.chart;
  const chart =
    c === null
      ? 'Chart: none set (use set_chart).'
      : `Chart: ${c.exchange}:${c.symbol} ${c.period}, ${c.from ? `${c.from}..${c.to ?? 'latest'}` : `last ${c.bars} bars`}, ${c.theme} theme.`;
  const indicators =
    ws.indicators.length === 0
      ? 'Indicators: none.'
      : `Indicators (${ws.indicators.length}): ${ws.indicators
          .map((i) => `${i.id} ${i.name}(${Object.values(i.params).join(',')})`)
          .join('; ')}.`;
  const head = `Workspace ${ws.workspaceId}. ${chart} ${indicators}`;
  if (ws.drawings.length === 0) return `${head} Drawings: none.`.slice(0, BRIEF_MAX_CHARS);
  let drawings = `Drawings (${ws.drawings.length}):`;
  const budget = BRIEF_MAX_CHARS - head.length - 40;
  let shown = 0;
  for (const d of ws.drawings) {
    const part = ` ${d.id} ${describeDrawing(d.drawing)};`;
    if (drawings.length + part.length > budget) break;
    drawings += part;
    shown++;
  }
  if (shown < ws.drawings.length) drawings += ` …${ws.drawings.length - shown} more.`;
  return `${head} ${drawings}`.slice(0, BRIEF_MAX_CHARS);
}
