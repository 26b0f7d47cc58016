/**
 * `/api/candles` answers and live `bar` messages as the chart view's bars (epoch seconds), and the
 * bookkeeping that keeps live bars arriving while a history request is in flight. Plain: no DOM.
 */
import * as z from 'zod';
import type { ViewBar } from '../../mcp-servers/charting/view/types.ts';
import type { BarMessage } from '../ws/protocol.ts';

/** The body of `GET /api/candles`: named columns, one row per bar. */
export const candlesAnswerSchema = z.object({
  exchange: z.string(),
  symbol: z.string(),
  interval: z.string(),
  columns: z.array(z.string()),
  bars: z.array(z.array(z.number())),
});
export type CandlesAnswer = z.output<typeof candlesAnswerSchema>;

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * The rows of an answer as view bars, ascending by time. Columns are found by name, so a server
 * that adds or reorders columns still reads right; a missing column is an error naming it.
 */
export function toViewBars(answer: CandlesAnswer): ViewBar[] {
  const at = FIELDS.map((name) => {
    const index = answer.columns.indexOf(name);
    if (index < 0) throw new Error(`/api/candles answered without a "${name}" column`);
    return index;
  });
  const [t, o, h, l, c, v] = at as [number, number, number, number, number, number];
  const bars = new Array<ViewBar>(answer.bars.length);
  for (let i = 0; i < answer.bars.length; i++) {
    const row = answer.bars[i]!;
    bars[i] = { time: row[t]!, open: row[o]!, high: row[h]!, low: row[l]!, close: row[c]!, volume: row[v]! };
  }
  return bars;
}

/** A live bar message as a view bar. */
export function barMessageToViewBar(m: BarMessage): ViewBar {
  return { time: m.time, open: m.open, high: m.high, low: m.low, close: m.close, volume: m.volume };
}

/**
 * Orders live bars around a history load for one series: bars that arrive before the history are
 * held, then replayed when it lands (only those not older than its last bar); once loaded, a bar is
 * applied unless it is older than the newest shown (the chart can only update the last bar or append).
 *
 * @example
 * const feed = createBarFeed();
 * feed.reset();                       // a new symbol or period: history requested
 * feed.live(bar);                     // → [] while loading (held)
 * view.setBars(history); for (const b of feed.loaded(history)) view.updateBar(b);
 * for (const b of feed.live(bar)) view.updateBar(b);
 */
export interface BarFeed {
  /** Forgets everything: a new series is being loaded. */
  reset(): void;
  /** The history has landed; returns the held live bars to apply after it. */
  loaded(history: readonly ViewBar[]): ViewBar[];
  /** A live bar: the bars to apply now (none while loading or when it is stale). */
  live(bar: ViewBar): ViewBar[];
}

/** Most live bars held while a history request is in flight (a forming bar repeats its time). */
const MAX_HELD = 500;

export function createBarFeed(): BarFeed {
  let loading = true;
  let held: ViewBar[] = [];
  let lastTime = Number.NEGATIVE_INFINITY;
  return {
    reset() {
      loading = true;
      held = [];
      lastTime = Number.NEGATIVE_INFINITY;
    },
    loaded(history) {
      loading = false;
      lastTime = history.length > 0 ? history[history.length - 1]!.time : Number.NEGATIVE_INFINITY;
      const replay: ViewBar[] = [];
      for (const bar of held) {
        if (bar.time >= lastTime) {
          replay.push(bar);
          lastTime = bar.time;
        }
      }
      held = [];
      return replay;
    },
    live(bar) {
      if (loading) {
        // Only the latest version of each bar matters; keep memory bounded if the load stalls.
        const prev = held[held.length - 1];
        if (prev !== undefined && prev.time === bar.time) held[held.length - 1] = bar;
        else if (held.length < MAX_HELD) held.push(bar);
        return [];
      }
      if (bar.time < lastTime) return [];
      lastTime = bar.time;
      return [bar];
    },
  };
}
