/// <reference lib="dom" />
/** The status line (DOM): connection state, the shown series, last price, its time and source. */
import type { ConnectionState } from './live-socket.ts';
import type { ShownSeries } from './subscriptions.ts';

export interface StatusElements {
  readonly connection: HTMLElement;
  readonly series: HTMLElement;
  readonly price: HTMLElement;
  readonly asOf: HTMLElement;
  readonly source: HTMLElement;
  readonly error: HTMLElement;
}

export interface LastPrice {
  readonly price: number | string;
  /** Epoch ms. */
  readonly time: number;
  readonly source: string;
}

export interface StatusLine {
  connection(state: ConnectionState): void;
  series(series: ShownSeries): void;
  price(last: LastPrice | undefined): void;
  /** A problem the user should see (a failed request); empty clears it. */
  error(text: string): void;
}

/** Words for a connection state. */
export function describeConnection(state: ConnectionState): string {
  switch (state.kind) {
    case 'connecting':
      return state.attempt > 1 ? `connecting (attempt ${state.attempt})…` : 'connecting…';
    case 'open':
      return '● live';
    case 'waiting':
      return `disconnected${state.reason ? ` (${state.reason})` : ''}; retrying in ${Math.ceil(state.retryInMs / 1000)} s`;
    case 'closed':
      return `disconnected${state.reason ? `: ${state.reason}` : ''}`;
  }
}

export function createStatusLine(elements: StatusElements): StatusLine {
  return {
    connection(state) {
      elements.connection.dataset.state = state.kind;
      elements.connection.textContent = describeConnection(state);
    },
    series(series) {
      elements.series.textContent = `${series.exchange}:${series.symbol} · ${series.period}`;
    },
    price(last) {
      elements.price.textContent = last === undefined ? '' : `last ${last.price}`;
      elements.asOf.textContent =
        last === undefined
          ? ''
          : `as of ${new Date(last.time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
      elements.source.textContent = last === undefined ? '' : `source: ${last.source}`;
    },
    error(text) {
      elements.error.textContent = text;
    },
  };
}
