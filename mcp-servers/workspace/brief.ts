/**
 * The workspace brief an agent always has in context: at most ~1,000 characters naming the
 * chart, indicators and drawings (references, never data).
 */

import { formatRr, positionMeasures, priceChange, signedPct } from '../charting/measures.ts';
import type { Drawing } from '../charting/render/index.ts';
import { formatNumber, isoOfUs } from '../common/index.ts';
import type { Workspace } from './model.ts';

/** Hard bound on the brief's length. */
export const BRIEF_MAX_CHARS = 1000;

/** One drawing in a few words: kind, anchors (time@price), the numbers it shows, its label. */
function describeDrawing(d: Drawing): string {
  const at = (t: number) => isoOfUs(t).slice(0, 16);
  const pt = (a: { time: number; price: number }) => `${at(a.time)}@${formatNumber(a.price)}`;
  const quoted = (text: string | undefined) => (text ? ` "${text.slice(0, 30)}"` : '');
  switch (d.type) {
    case 'hline':
      return `hline ${formatNumber(d.price)}${quoted(d.label)}`;
    case 'vline':
      return `vline ${at(d.time)}${quoted(d.label)}`;
    case 'trendline':
    case 'ray':
    case 'rect':
    case 'fib':
      return `${d.type} ${pt(d.from)}→${pt(d.to)}${quoted(d.label)}`;
    case 'channel':
      return `channel ${pt(d.from)}→${pt(d.to)} offset ${formatNumber(d.offset)}${quoted(d.label)}`;
    case 'range':
      return `range ${pt(d.from)}→${pt(d.to)} ${signedPct(priceChange(d.from.price, d.to.price).pct)}${quoted(d.label)}`;
    case 'position':
      return `${d.side} ${pt(d.entry)} sl ${formatNumber(d.stop)} tp ${formatNumber(d.target)} R:R ${formatRr(positionMeasures(d.side, d.entry.price, d.stop, d.target).ratio)}${quoted(d.label)}`;
    case 'text':
      return `text${quoted(d.text)} ${pt(d)}`;
    case 'callout':
      return `callout${quoted(d.text)} ${pt(d.at)}`;
    case 'marker':
      return `${d.side} ${pt(d)}${quoted(d.text)}`;
    default: {
      const unknown: never = d;
      return String(unknown);
    }
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
