/// <reference lib="dom" />
/**
 * The chart MCP App (the page behind `ui://quantforge/chart.html`): connects to the host with
 * ext-apps' `App`, learns which chart to show from `show_chart`'s structured result, and loads
 * bars, indicators and drawings through the app-only `chart_data` tool — on the first show, on a
 * period switch and when a pan reaches the oldest bar loaded — so none of it costs model tokens.
 * While the app is visible it refreshes every few seconds (`chart_data` with `since` its last
 * bar): new and changed bars are merged into the view, and the workspace's drawings and
 * indicators follow whatever another channel (the web page, an agent) changed.
 *
 * The root element's `data-symbol`, `data-period`, `data-bars` and `data-drawings` (ids, space
 * separated) say what the chart shows now.
 */
import { App } from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createChartView } from '../view/index.ts';
import type { ChartView, ViewBar } from '../view/types.ts';
import {
  APP_HISTORY_BARS,
  APP_MAX_BARS,
  APP_PERIODS,
  type ChartData,
  type ChartRef,
  chartDataSchema,
  showChartContentSchema,
} from './payload.ts';
import { createRefreshLoop, mergeFresh, REFRESH_MS } from './refresh.ts';

/** Bars loaded per step when a pan reaches the oldest bar. */
const PAGE_BARS = 300;
/** A pan within this many bars of the oldest loads older ones. */
const EDGE_BARS = 10;

const byId = (id: string): HTMLElement => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
};
const root = document.documentElement;
const container = byId('chart');
const title = byId('title');
const status = byId('status');
const periods = byId('periods');

const app = new App({ name: 'QuantForge chart', version: '0.1.0' }, {});
let view: ChartView | null = null;
let shown: ChartRef | null = null;
let bars: ViewBar[] = [];
let older = false;
let loading = false;
/** Bumped by every load, so an answer that a newer load overtook is dropped. */
let generation = 0;
/** The drawings and indicators shown, as JSON: a refresh sets them only when they changed. */
let drawingsShown = '';
let indicatorsShown = '';

const isoOfSeconds = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const textOf = (r: CallToolResult) =>
  r.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join(' ') || 'the tool failed';

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.style.color = error ? '#ef5350' : '';
}

function showPeriod(period: string): void {
  for (const b of Array.from(periods.querySelectorAll('button'))) {
    b.setAttribute('aria-pressed', String(b.dataset.period === period));
  }
}

/** Keeps the root's `data-*` attributes and the header on what the view shows. */
function publish(): void {
  if (!view || !shown) return;
  const s = view.state();
  root.dataset.symbol = `${shown.exchange}:${shown.symbol}`;
  root.dataset.period = shown.period;
  root.dataset.bars = String(s.bars);
  root.dataset.drawings = s.drawings.join(' ');
  title.textContent = `${shown.exchange}:${shown.symbol} ${shown.period}`;
  showPeriod(shown.period);
  const last = s.last;
  setStatus(last ? `${s.bars} bars · last ${last.close} · ${isoOfSeconds(last.time)}` : 'no bars');
}

async function chartData(args: Record<string, unknown>): Promise<ChartData | null> {
  const result = await app.callServerTool({ name: 'chart_data', arguments: args });
  if (result.isError) {
    setStatus(textOf(result), true);
    return null;
  }
  return chartDataSchema.parse(result.structuredContent);
}

function apply(data: ChartData, bars_: ViewBar[]): void {
  shown = data.chart;
  root.dataset.theme = data.chart.theme;
  if (view === null) {
    view = createChartView(container, { theme: data.chart.theme });
    view.onRangeChanged((from) => void loadOlder(from));
  }
  bars = bars_;
  view.setBars(bars);
  showWorkspace(view, data, true);
  publish();
  refreshLoop.start();
}

/**
 * Sets the workspace's drawings and indicators on the view: after new bars always (snapped
 * anchors move onto them), on a refresh only when they differ from those shown.
 */
function showWorkspace(v: ChartView, data: Pick<ChartData, 'drawings' | 'indicators'>, all = false): void {
  const drawings = JSON.stringify(data.drawings);
  const indicators = JSON.stringify(data.indicators);
  if (all || drawings !== drawingsShown) v.setDrawings(data.drawings);
  if (all || indicators !== indicatorsShown) v.setIndicators(data.indicators);
  drawingsShown = drawings;
  indicatorsShown = indicators;
}

/**
 * One refresh: the bars from the last one shown on (it may have changed; the first ones after it
 * when many are new) merged into the view, and the workspace's drawings and indicators.
 */
async function refresh(): Promise<void> {
  if (!view || !shown || loading) return;
  const mine = generation;
  const last = bars[bars.length - 1];
  const data = await chartData({
    symbol: shown.symbol,
    exchange: shown.exchange,
    period: shown.period,
    ...(last === undefined ? {} : { since: isoOfSeconds(last.time) }),
    ...(shown.to === undefined ? {} : { to: shown.to }),
    bars: APP_MAX_BARS,
  });
  if (data === null || mine !== generation || loading) return;
  for (const bar of mergeFresh(bars, data.bars)) view.updateBar(bar);
  showWorkspace(view, data);
  publish();
}

const refreshLoop = createRefreshLoop({
  every: REFRESH_MS,
  run: refresh,
  isVisible: () => document.visibilityState === 'visible',
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});
document.addEventListener('visibilitychange', () => refreshLoop.visibilityChanged());

/** Shows `ref` (a new chart or another period of it) from its bars. */
async function load(ref: ChartRef): Promise<void> {
  const mine = ++generation;
  loading = true;
  setStatus(`loading ${ref.symbol} ${ref.period}…`);
  try {
    const data = await chartData({
      symbol: ref.symbol,
      exchange: ref.exchange,
      period: ref.period,
      ...(ref.from === undefined ? {} : { from: ref.from }),
      ...(ref.to === undefined ? {} : { to: ref.to }),
      bars: Math.min(ref.bars, APP_MAX_BARS),
    });
    if (data === null || mine !== generation) return;
    older = data.older;
    apply(data, data.bars);
  } catch (error) {
    setStatus(error instanceof Error ? error.message : String(error), true);
  } finally {
    if (mine === generation) loading = false;
  }
}

/** A pan that reaches the oldest bar loaded prepends the bars before it. */
async function loadOlder(visibleFrom: number): Promise<void> {
  const first = bars[0];
  const edge = bars[Math.min(EDGE_BARS, bars.length - 1)];
  if (!older || loading || !shown || !first || !edge || visibleFrom > edge.time) return;
  if (bars.length + PAGE_BARS > APP_HISTORY_BARS) {
    older = false;
    return;
  }
  const mine = ++generation;
  loading = true;
  try {
    const { from: _from, ...ref } = shown;
    const data = await chartData({
      symbol: ref.symbol,
      exchange: ref.exchange,
      period: ref.period,
      to: isoOfSeconds(first.time),
      bars: PAGE_BARS,
    });
    if (data === null || mine !== generation) return;
    older = data.older;
    apply({ ...data, chart: shown }, [...data.bars.filter((b) => b.time < first.time), ...bars]);
  } catch (error) {
    setStatus(error instanceof Error ? error.message : String(error), true);
  } finally {
    if (mine === generation) loading = false;
  }
}

for (const period of APP_PERIODS) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = period;
  button.dataset.period = period;
  button.setAttribute('aria-pressed', 'false');
  button.addEventListener('click', () => {
    if (!shown || shown.period === period) return;
    const { from: _from, ...ref } = shown;
    void load({ ...ref, period, bars: PAGE_BARS });
  });
  periods.append(button);
}

app.ontoolresult = (result) => {
  if (result.isError) {
    setStatus(textOf(result), true);
    return;
  }
  const parsed = showChartContentSchema.safeParse(result.structuredContent);
  if (!parsed.success) {
    setStatus('the tool result names no chart', true);
    return;
  }
  void load(parsed.data.chart);
};
app.onhostcontextchanged = (context) => {
  if (context.theme && view) {
    view.setTheme(context.theme);
    root.dataset.theme = context.theme;
  }
};

app.connect().catch((error: unknown) => {
  setStatus(`cannot reach the host: ${error instanceof Error ? error.message : String(error)}`, true);
});
