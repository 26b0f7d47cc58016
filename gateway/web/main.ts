/// <reference lib="dom" />
/**
 * The web page: a live chart (the charting view) beside the chat, over the gateway's HTTP API and
 * its one WebSocket. This file only wires the DOM to the plain modules beside it; the logic is
 * theirs and tested there.
 *
 * Talks to the server: GET /api/workspace, /api/symbols, /api/candles, /api/quotes;
 * PUT /api/workspace/chart (the user's switch of symbol or period, so the agent sees what they look
 * at), PUT /api/workspace/drawings; DELETE /api/workspace/drawings/:id; GET/POST /api/alerts,
 * DELETE /api/alerts/:id (the Alerts popover); WebSocket /ws (subscribe and
 * unsubscribe bars+quotes of the shown series, chat, chat.cancel, ping).
 */

import type { Drawing } from '../../mcp-servers/charting/catalogue.ts';
import { createChartView } from '../../mcp-servers/charting/view/index.ts';
import type { ChartView, DrawingTool } from '../../mcp-servers/charting/view/types.ts';
import type { ServerMessage } from '../ws/protocol.ts';
import {
  type AlertRequest,
  drawingActionLabel,
  drawingAlertRequest,
  levelAlertRequest,
  levelPrefill,
} from './alert-rules.ts';
import { type AlertState, initialAlertState, reduceAlerts } from './alert-state.ts';
import { createAlertToasts } from './alert-toasts.ts';
import { createAlertsPanel } from './alerts-panel.ts';
import { ApiError, createApiClient } from './api-client.ts';
import { barMessageToViewBar, createBarFeed, toViewBars } from './candles.ts';
import { createChartSync } from './chart-sync.ts';
import { createChatPanel } from './chat-panel.ts';
import { type ChatEvent, initialChatState, reduceChat } from './chat-state.ts';
import { type ConnectionState, createLiveSocket, type SocketLike } from './live-socket.ts';
import { createBackoff } from './reconnect.ts';
import { createStatusLine, type LastPrice, midPrice } from './status-line.ts';
import { type ShownSeries, subscriptionsFor } from './subscriptions.ts';
import { createTopBar } from './top-bar.ts';
import {
  chartSeriesOf,
  isNotOlder,
  type PageWorkspace,
  pageWorkspaceSchema,
  viewDrawingsOf,
  viewIndicatorsOf,
} from './workspace-state.ts';

/** Bars loaded when a series is shown. */
const HISTORY_BARS = 500;
const THEME_KEY = 'quantforge.theme';

const byId = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
};

const describeError = (error: unknown): string =>
  error instanceof ApiError && error.status === 401
    ? 'Not signed in: open the login link that `quantforge start` printed.'
    : error instanceof Error
      ? error.message
      : String(error);

/** The theme the user picked on this browser, if any. */
function savedTheme(): 'dark' | 'light' | undefined {
  const saved = localStorage.getItem(THEME_KEY);
  return saved === 'dark' || saved === 'light' ? saved : undefined;
}

/**
 * What the page exposes on `window.quantforge` for the browser console (and the end-to-end
 * test): the chart view, e.g. `quantforge.view.state()` lists the bars and drawing ids shown.
 */
export interface PageHandle {
  readonly view: ChartView;
}

/** The browser's WebSocket behind the plain module's {@link SocketLike}. */
function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const socket: SocketLike = {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  ws.onopen = (event) => socket.onopen?.(event);
  ws.onmessage = (event) => socket.onmessage?.(event);
  ws.onclose = (event) => socket.onclose?.(event);
  ws.onerror = (event) => socket.onerror?.(event);
  return socket;
}

async function startPage(): Promise<void> {
  const api = createApiClient((input, init) => fetch(input, init));
  const chartElement = byId<HTMLElement>('chart');
  const status = createStatusLine({
    connection: byId('status-connection'),
    series: byId('status-series'),
    price: byId('status-price'),
    asOf: byId('status-asof'),
    source: byId('status-source'),
    error: byId('status-error'),
  });
  // The user's pick on this browser, else the workspace's theme once it is loaded; dark (the
  // workspace default) until then.
  let theme = savedTheme() ?? 'dark';
  document.documentElement.dataset.theme = theme;
  const view: ChartView = createChartView(chartElement, { theme });
  (window as unknown as { quantforge: PageHandle }).quantforge = { view };
  const setTheme = (next: 'dark' | 'light'): void => {
    theme = next;
    document.documentElement.dataset.theme = theme;
    view.setTheme(theme);
  };
  const feed = createBarFeed();

  let shown: ShownSeries | undefined;
  let workspace: PageWorkspace | undefined;
  let connection: ConnectionState = { kind: 'connecting', attempt: 1 };
  let lastPrice: LastPrice | undefined;
  let loadAbort: AbortController | undefined;

  const showPrice = (next: LastPrice | undefined): void => {
    lastPrice = next;
    status.price(lastPrice);
  };

  // Chat -------------------------------------------------------------------------------------
  let chat = initialChatState;
  const chatPanel = createChatPanel(
    {
      log: byId('chat-log'),
      notice: byId('chat-notice'),
      form: byId('chat-form'),
      input: byId('chat-input'),
      send: byId('chat-send'),
    },
    (text) => {
      if (socket.send({ op: 'chat', text })) dispatchChat({ type: 'sent', text });
      else status.error('Not connected: the message was not sent.');
    },
    () => socket.send({ op: 'chat.cancel' }),
  );
  const dispatchChat = (event: ChatEvent): void => {
    chat = reduceChat(chat, event);
    chatPanel.render(chat, connection.kind === 'open');
  };

  // Workspace --------------------------------------------------------------------------------
  const chartSync = createChartSync();
  const applyWorkspace = (next: PageWorkspace): void => {
    if (!isNotOlder(workspace, next)) return;
    const follow = workspace === undefined ? undefined : chartSync.follow(workspace, next, shown);
    workspace = next;
    view.setDrawings(viewDrawingsOf(next));
    view.setIndicators(viewIndicatorsOf(next));
    if (follow !== undefined) void showSeries(follow);
  };
  /** The user picked `series` here: show it, and make it the workspace's chart. */
  const pickSeries = async (series: ShownSeries): Promise<void> => {
    const saved = chartSync
      .picked(series, (s) => api.setChart(s))
      .then(applyWorkspace, (error: unknown) =>
        status.error(`The chart was not saved to your workspace: ${describeError(error)}`),
      );
    await showSeries(series);
    await saved;
  };

  // Series -----------------------------------------------------------------------------------
  const showSeries = async (series: ShownSeries): Promise<void> => {
    shown = series;
    feed.reset();
    showPrice(undefined);
    status.series(series);
    topBar.show(series.symbol, series.period);
    socket.setSubscriptions(subscriptionsFor(series));
    loadAbort?.abort();
    const abort = new AbortController();
    loadAbort = abort;
    try {
      const bars = toViewBars(await api.candles(series, HISTORY_BARS, abort.signal));
      if (abort.signal.aborted) return;
      view.setBars(bars);
      for (const bar of feed.loaded(bars)) view.updateBar(bar);
      status.error(bars.length === 0 ? `No ${series.period} bars stored for ${series.symbol}.` : '');
      const quote = await api.quote(series);
      if (!abort.signal.aborted && lastPrice === undefined && quote?.price != null && quote.time !== null) {
        showPrice({ price: quote.price, time: Date.parse(quote.time), source: quote.source ?? 'store' });
      }
    } catch (error) {
      if (!abort.signal.aborted) status.error(describeError(error));
    }
  };

  // Alerts: toasts until dismissed; dismissing marks them seen, so the next connect omits them.
  let alerts: AlertState = initialAlertState;
  const toasts = createAlertToasts(byId('alert-toasts'), (alertId) => {
    alerts = reduceAlerts(alerts, { type: 'dismiss', alertId });
    toasts.render(alerts.toasts);
    socket.send({ op: 'alerts.seen', ids: [alertId] });
  });

  // Alert rules: the top bar's popover lists them, sets a level or follows the selected drawing.
  const refreshRules = (): Promise<void> =>
    api.alerts().then(
      (list) => rulesPanel.showList(list),
      (error: unknown) => rulesPanel.error(describeError(error)),
    );
  const selectedDrawing = () => {
    const id = view.state().selected;
    return id === undefined ? undefined : workspace?.drawings.find((d) => d.id === id);
  };
  const createRule = (request: AlertRequest | { readonly error: string }): void => {
    if ('error' in request) {
      rulesPanel.error(request.error);
      return;
    }
    api.createAlert(request).then(
      () => {
        rulesPanel.error('');
        void refreshRules();
      },
      (error: unknown) => rulesPanel.error(describeError(error)),
    );
  };
  const rulesPanel = createAlertsPanel(
    {
      toggle: byId('alerts-toggle'),
      panel: byId('alerts-panel'),
      usage: byId('alerts-usage'),
      form: byId('alert-level-form'),
      level: byId('alert-level'),
      drawing: byId('alert-drawing'),
      error: byId('alerts-error'),
      list: byId('alerts-list'),
    },
    {
      onOpen: () => {
        rulesPanel.prepare(levelPrefill(lastPrice?.price), drawingActionLabel(selectedDrawing()));
        void refreshRules();
      },
      onLevel: (text) => {
        if (shown) createRule(levelAlertRequest(shown, text, lastPrice?.price));
      },
      onDrawing: () => {
        if (shown) createRule(drawingAlertRequest(shown, selectedDrawing()));
      },
      onDelete: (id) =>
        api.deleteAlert(id).then(refreshRules, (error: unknown) => rulesPanel.error(describeError(error))),
    },
  );

  // The socket -------------------------------------------------------------------------------
  const onMessage = (m: ServerMessage): void => {
    switch (m.type) {
      case 'hello':
        dispatchChat({
          type: 'hello',
          chat: m.chat,
          ...(m.chatWhy !== undefined ? { chatWhy: m.chatWhy } : {}),
        });
        break;
      case 'bar':
        if (
          shown &&
          m.exchange === shown.exchange &&
          m.symbol === shown.symbol &&
          m.period === shown.period
        ) {
          for (const bar of feed.live(barMessageToViewBar(m))) view.updateBar(bar);
          showPrice({ price: m.close, time: Date.now(), source: 'live' });
        }
        break;
      case 'quote': {
        const price =
          m.last ?? (m.bid !== undefined && m.ask !== undefined ? midPrice(m.bid, m.ask) : undefined);
        if (shown && m.exchange === shown.exchange && m.symbol === shown.symbol && price !== undefined) {
          // The feed dates a book top without its own time (Binance bookTicker) at the envelope's
          // observed time; only a quote with no time at all (0) is taken as of its arrival.
          showPrice({ price, time: m.timeUs > 0 ? m.timeUs / 1000 : Date.now(), source: 'live' });
        }
        break;
      }
      case 'workspace': {
        const parsed = pageWorkspaceSchema.safeParse(m.workspace);
        if (parsed.success) applyWorkspace(parsed.data);
        else status.error(`A workspace update could not be read: ${parsed.error.issues[0]?.message ?? ''}`);
        break;
      }
      case 'chat.start':
      case 'chat.delta':
      case 'chat.tool':
      case 'chat.image':
      case 'chat.done':
      case 'chat.error':
        dispatchChat(m);
        break;
      case 'alert':
      case 'alerts.unseen':
        alerts = reduceAlerts(alerts, m);
        toasts.render(alerts.toasts);
        break;
      case 'error':
        status.error(m.why);
        break;
      default:
        // trade, dropped, subscribed, unsubscribed, pong: nothing to show.
        break;
    }
  };

  const wsUrl = new URL('/ws', location.href);
  wsUrl.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = createLiveSocket({
    url: wsUrl.href,
    connect: browserSocket,
    backoff: createBackoff(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    onMessage,
    onState: (state) => {
      connection = state;
      status.connection(state);
      if (state.kind === 'waiting' || state.kind === 'closed') dispatchChat({ type: 'disconnected' });
      else chatPanel.render(chat, state.kind === 'open');
    },
  });

  // Top bar and the chart's own events -------------------------------------------------------
  const setTool = (tool: DrawingTool): void => {
    view.setTool(tool);
    topBar.setTool(tool);
  };
  const topBar = createTopBar({
    onSymbol: (entry) =>
      void pickSeries({ exchange: entry.exchange, symbol: entry.symbol, period: shown?.period ?? '1m' }),
    onPeriod: (period) => {
      if (shown && period !== shown.period) void pickSeries({ ...shown, period });
    },
    onTool: setTool,
    // The view deletes its selected drawing on the Delete key; the button presses it for the user.
    onDeleteSelected: () =>
      chartElement.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Delete', code: 'Delete', bubbles: true }),
      ),
    onTheme: () => {
      setTheme(theme === 'dark' ? 'light' : 'dark');
      localStorage.setItem(THEME_KEY, theme);
    },
  });
  document.addEventListener('keydown', (event) => {
    if (
      event.key === 'Escape' &&
      !(event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement)
    )
      setTool(null);
  });

  view.onDrawingCreated((drawing: Drawing) => {
    setTool(null); // one drawing per tool pick, as chart apps do
    api.addDrawing(drawing).then(
      (answer) => applyWorkspace(answer.workspace),
      (error: unknown) => {
        status.error(`The drawing was not saved: ${describeError(error)}`);
        if (workspace) view.setDrawings(viewDrawingsOf(workspace));
      },
    );
  });
  view.onDrawingDeleted((id: string) => {
    api.deleteDrawing(id).then(applyWorkspace, (error: unknown) => {
      // Already gone (another channel removed it) is what the user wanted.
      if (error instanceof ApiError && error.status === 404) return;
      status.error(`The drawing was not deleted: ${describeError(error)}`);
      if (workspace) view.setDrawings(viewDrawingsOf(workspace));
    });
  });

  // First load -------------------------------------------------------------------------------
  status.connection(connection);
  chatPanel.render(chat, false);
  try {
    const [ws, symbols] = await Promise.all([api.workspace(), api.symbols()]);
    const wsTheme = ws.chart?.theme;
    if (savedTheme() === undefined && wsTheme !== undefined && wsTheme !== theme) setTheme(wsTheme);
    applyWorkspace(ws);
    topBar.setSymbols(symbols);
    void refreshRules(); // the bell's count
    const chart = chartSeriesOf(ws);
    if (chart !== undefined) {
      await showSeries(chart);
      return;
    }
    // No chart in the workspace yet: show the first symbol and make it the workspace's chart.
    const first = symbols[0];
    if (first === undefined) {
      status.error('The store holds no symbols yet: record or backfill some data first.');
      return;
    }
    await pickSeries({ exchange: first.exchange, symbol: first.symbol, period: '1m' });
  } catch (error) {
    status.error(describeError(error));
  }
}

void startPage();
