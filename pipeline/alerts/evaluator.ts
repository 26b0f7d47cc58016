/**
 * The alert evaluator: a pure, deterministic state machine per rule over the ordered live stream
 * of one process — sequenced trades (each with its series seq) and final bars. No I/O, no clock:
 * every decision reads event time only, so a replay of the same input gives the same fires.
 *
 * State is plain data, snapshotted per key as UTF-8 JSON so a shell can checkpoint what changed
 * in the same transaction as its outputs:
 * - `r|<ruleId>`: one rule's state (last side of its level or line, percent-move window,
 *   previous indicator/MA relation, fire count, last fire time, done);
 * - `h|<VENUE:SYMBOL>|<period>`: the final bars of a series and period that its bar rules read
 *   (shared by all of them, as long as the longest of their windows).
 *
 * Hot path: rules are indexed by venue then symbol; a trade of a symbol with no trade rule costs
 * one map lookup (two when its venue has no rule at all), and the last symbol's rules are cached.
 */
import { createHash } from 'node:crypto';
import { computeIndicator, ema, getIndicatorInfo, indicatorLookback, sma } from '../../indicators/index.ts';
import { type Candle, matchesPattern } from './patterns.ts';
import { type AlertRule, isTradeRule, linePriceAt } from './rules.ts';

/** A final bar as the evaluator reads it (prices as numbers). */
export interface AlertBar {
  readonly venue: string;
  readonly symbol: string;
  readonly period: string;
  readonly openTimeUs: number;
  readonly closeTimeUs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** One fire of a rule. */
export interface AlertFire {
  readonly rule: AlertRule;
  /** Deterministic: the same rule fired by the same event always has the same id. */
  readonly alertId: string;
  /** What fired it: `t<seq>` (a trade of the series) or `b<period>:<openTimeUs>` (a final bar). */
  readonly trigger: string;
  /** Event time of the trade or the bar's close. */
  readonly timeUs: number;
  /** The price / volume / indicator value that crossed. */
  readonly value: number;
  /** What it crossed: the level, the line's price at that time, the threshold, … */
  readonly threshold: number;
  readonly message: string;
}

export interface AlertEvaluator {
  /** Replaces the rule set; state of rules that stay (same id) is kept, of removed ones dropped. */
  setRules(rules: readonly AlertRule[]): void;
  /** One sequenced trade; appends fires to `out`. `price` is read only when the symbol has rules. */
  onTrade(
    venue: string,
    symbol: string,
    seq: number,
    timeUs: number,
    price: () => number,
    out: AlertFire[],
  ): void;
  /** One FINAL bar; a bar at or before the last one seen for its series and period is ignored. */
  onBar(bar: AlertBar, out: AlertFire[]): void;
  /** Keys whose state changed since the last call (then forgotten). */
  takeChanged(): string[];
  /** A key's state, or undefined when it has none. */
  snapshot(key: string): Uint8Array | undefined;
  /** Puts a key's state back (`undefined`: back to empty). */
  restore(key: string, bytes: Uint8Array | undefined): void;
}

/** Per-rule state (all JSON-safe). */
interface RuleState {
  fired: number;
  /** Event time of the last fire, µs; -1 never. */
  lastFireUs: number;
  done: boolean;
  /** Level / line side of the last observation: 1 at or above, -1 below, 0 unknown. */
  side: number;
  /** Zone: 1 inside, -1 outside, 0 unknown. MA/indicator: last relation (1 holds, -1 not, 0 unknown). */
  relation: number;
  /** Percent move: monotonic deques of [timeUs, price] for the window's min and max. */
  minQ: number[];
  maxQ: number[];
}

/** Final bars of one series and period: parallel columns, oldest first. */
interface BarHistory {
  lastOpenUs: number;
  t: number[];
  o: number[];
  h: number[];
  l: number[];
  c: number[];
  v: number[];
}

interface Slot {
  readonly rule: AlertRule;
  readonly key: string;
  state: RuleState;
  /** Bars the rule needs in its history (bar rules). */
  readonly window: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const freshState = (): RuleState => ({
  fired: 0,
  lastFireUs: -1,
  done: false,
  side: 0,
  relation: 0,
  minQ: [],
  maxQ: [],
});
const freshHistory = (): BarHistory => ({ lastOpenUs: -1, t: [], o: [], h: [], l: [], c: [], v: [] });

/** The deterministic alert id: hash of the rule id and the trigger. */
export function alertIdOf(ruleId: string, trigger: string): string {
  return createHash('sha256').update(ruleId).update('\0').update(trigger).digest('hex').slice(0, 32);
}

/** Bars of history a bar rule reads: EMA-like series get 200 bars beyond their lookback. */
function windowOf(rule: AlertRule): number {
  switch (rule.kind) {
    case 'volume_spike':
      return rule.lookback + 1;
    case 'ma_cross':
      return rule.average === 'sma' ? rule.slow : rule.slow + 200;
    case 'indicator_threshold':
      return indicatorLookback(rule.indicator, rule.params) + 200;
    case 'candle_pattern':
      return 2;
    case 'trend_line':
      return 1;
    default:
      return 0;
  }
}

type Direction = 'up' | 'down' | 'either';

/** A zone's event as a crossing direction of its inside (1) / outside (-1) relation. */
const zoneDirection = { enter: 'up', exit: 'down', either: 'either' } as const satisfies Record<
  string,
  Direction
>;

function historyKey(venue: string, symbol: string, period: string): string {
  return `h|${venue}:${symbol}|${period}`;
}

/** A new evaluator with no rules. */
export function createAlertEvaluator(): AlertEvaluator {
  /** venue → symbol → trade-rule slots. */
  const tradeIndex = new Map<string, Map<string, Slot[]>>();
  /** history key → bar-rule slots. */
  const barIndex = new Map<string, Slot[]>();
  const slots = new Map<string, Slot>();
  const histories = new Map<string, BarHistory>();
  /** Longest window per history key. */
  const windows = new Map<string, number>();
  const changed = new Set<string>();
  let lastVenue = '';
  let lastSymbol = '';
  let lastSlots: Slot[] | undefined;

  function canFire(slot: Slot, timeUs: number): boolean {
    const { rule, state } = slot;
    if (state.done || timeUs < rule.createdAtUs) return false;
    if (rule.expiresAtUs !== undefined && timeUs > rule.expiresAtUs) return false;
    return !(
      rule.mode === 'recurring' &&
      state.lastFireUs >= 0 &&
      timeUs - state.lastFireUs < rule.cooldownMs * 1000
    );
  }

  function fire(
    slot: Slot,
    trigger: string,
    timeUs: number,
    value: number,
    threshold: number,
    what: string,
    out: AlertFire[],
  ) {
    const { rule, state } = slot;
    state.fired++;
    state.lastFireUs = timeUs;
    if (rule.mode === 'once') state.done = true;
    out.push({
      rule,
      alertId: alertIdOf(rule.id, trigger),
      trigger,
      timeUs,
      value,
      threshold,
      message: `${rule.venue}:${rule.symbol} ${what}${rule.note ? ` — ${rule.note}` : ''}`,
    });
  }

  /**
   * The step every crossing rule shares (level, line, zone, MA cross): stores `next` (1 or -1) as the
   * slot's `field`, marking the slot changed when it moved, and is true when the move went from a
   * known side to the other in `direction` (up: to 1, down: to -1) and the rule may fire at `timeUs`.
   */
  function crossing(
    slot: Slot,
    field: 'side' | 'relation',
    next: number,
    direction: Direction,
    timeUs: number,
  ): boolean {
    const s = slot.state;
    const prev = s[field];
    if (next === prev) return false;
    s[field] = next;
    changed.add(slot.key);
    if (prev === 0) return false;
    return (direction === 'either' || (direction === 'up' ? next > 0 : next < 0)) && canFire(slot, timeUs);
  }

  function onTradeRule(slot: Slot, seq: number, timeUs: number, price: number, out: AlertFire[]): void {
    const rule = slot.rule;
    const s = slot.state;
    switch (rule.kind) {
      case 'price_level': {
        const side = price >= rule.level ? 1 : -1;
        if (crossing(slot, 'side', side, rule.direction, timeUs))
          fire(
            slot,
            `t${seq}`,
            timeUs,
            price,
            rule.level,
            `price ${price} crossed ${side > 0 ? 'above' : 'below'} ${rule.level}`,
            out,
          );
        return;
      }
      case 'trend_line': {
        const line = linePriceAt(rule.from, rule.to, rule.extend, timeUs);
        if (Number.isNaN(line)) return;
        const side = price >= line ? 1 : -1;
        if (crossing(slot, 'side', side, rule.direction, timeUs))
          fire(
            slot,
            `t${seq}`,
            timeUs,
            price,
            line,
            `price ${price} crossed ${side > 0 ? 'above' : 'below'} the trend line (${line.toFixed(2)} there)`,
            out,
          );
        return;
      }
      case 'zone': {
        const lo = Math.min(rule.from, rule.to);
        const hi = Math.max(rule.from, rule.to);
        const inside = price >= lo && price <= hi ? 1 : -1;
        if (crossing(slot, 'relation', inside, zoneDirection[rule.event], timeUs))
          fire(
            slot,
            `t${seq}`,
            timeUs,
            price,
            inside > 0 ? lo : hi,
            `price ${price} ${inside > 0 ? 'entered' : 'left'} the zone ${lo}–${hi}`,
            out,
          );
        return;
      }
      case 'percent_move': {
        const from = timeUs - rule.windowMs * 1000;
        const { minQ, maxQ } = s;
        // Monotonic deques of [t, p] pairs: minQ ascending prices, maxQ descending.
        while (minQ.length > 0 && (minQ[minQ.length - 1] as number) >= price) minQ.length -= 2;
        minQ.push(timeUs, price);
        while (maxQ.length > 0 && (maxQ[maxQ.length - 1] as number) <= price) maxQ.length -= 2;
        maxQ.push(timeUs, price);
        while ((minQ[0] as number) < from) minQ.splice(0, 2);
        while ((maxQ[0] as number) < from) maxQ.splice(0, 2);
        changed.add(slot.key);
        const low = minQ[1] as number;
        const high = maxQ[1] as number;
        const k = rule.percent / 100;
        const up = rule.direction !== 'down' && price >= low * (1 + k);
        const down = !up && rule.direction !== 'up' && price <= high * (1 - k);
        if ((up || down) && canFire(slot, timeUs)) {
          const base = up ? low : high;
          const pct = ((price - base) / base) * 100;
          fire(
            slot,
            `t${seq}`,
            timeUs,
            price,
            base,
            `price moved ${pct.toFixed(2)}% in ${rule.windowMs / 1000}s (${base} → ${price})`,
            out,
          );
          // The window starts afresh: one move fires once.
          s.minQ = [timeUs, price];
          s.maxQ = [timeUs, price];
        }
        return;
      }
      default:
        return;
    }
  }

  /** Last `n` values of a history column as a Float64Array. */
  function tail(col: readonly number[], n: number): Float64Array {
    return Float64Array.from(col.slice(Math.max(0, col.length - n)));
  }

  function onBarRule(slot: Slot, h: BarHistory, bar: AlertBar, trigger: string, out: AlertFire[]): void {
    const rule = slot.rule;
    const s = slot.state;
    const n = h.c.length;
    const t = bar.closeTimeUs;
    switch (rule.kind) {
      case 'volume_spike': {
        if (n < rule.lookback + 1) return;
        let sum = 0;
        for (let i = n - 1 - rule.lookback; i < n - 1; i++) sum += h.v[i] as number;
        const mean = sum / rule.lookback;
        if (mean > 0 && bar.volume >= rule.multiplier * mean && canFire(slot, t)) {
          changed.add(slot.key);
          fire(
            slot,
            trigger,
            t,
            bar.volume,
            mean,
            `${rule.period} volume ${bar.volume} is ${(bar.volume / mean).toFixed(1)}× the ${rule.lookback}-bar mean`,
            out,
          );
        }
        return;
      }
      case 'ma_cross': {
        if (n < rule.slow) return;
        const closes = tail(h.c, slot.window);
        const f = rule.average === 'sma' ? sma(closes, rule.fast) : ema(closes, rule.fast);
        const sl = rule.average === 'sma' ? sma(closes, rule.slow) : ema(closes, rule.slow);
        const fast = f[f.length - 1] as number;
        const slow = sl[sl.length - 1] as number;
        if (Number.isNaN(fast) || Number.isNaN(slow)) return;
        const relation = fast > slow ? 1 : fast < slow ? -1 : s.relation;
        if (crossing(slot, 'relation', relation, rule.direction, t))
          fire(
            slot,
            trigger,
            t,
            fast,
            slow,
            `${rule.period} ${rule.average.toUpperCase()}(${rule.fast}) crossed ${relation > 0 ? 'above' : 'below'} ${rule.average.toUpperCase()}(${rule.slow})`,
            out,
          );
        return;
      }
      case 'indicator_threshold': {
        const w = slot.window;
        const result = computeIndicator(
          rule.indicator,
          {
            open: tail(h.o, w),
            high: tail(h.h, w),
            low: tail(h.l, w),
            close: tail(h.c, w),
            volume: tail(h.v, w),
            time: tail(h.t, w),
          },
          rule.params,
        );
        const column = result.columns[rule.output ?? getIndicatorInfo(rule.indicator).outputs[0] ?? ''];
        const value = column?.[column.length - 1];
        if (value === undefined || Number.isNaN(value)) return;
        const holds = rule.condition === 'above' ? value > rule.threshold : value < rule.threshold;
        const relation = holds ? 1 : -1;
        if (relation === s.relation) return;
        s.relation = relation;
        changed.add(slot.key);
        if (holds && canFire(slot, t))
          fire(
            slot,
            trigger,
            t,
            value,
            rule.threshold,
            `${rule.period} ${rule.indicator} ${value.toFixed(2)} is ${rule.condition} ${rule.threshold}`,
            out,
          );
        return;
      }
      case 'candle_pattern': {
        const prev: Candle | undefined =
          n >= 2
            ? {
                open: h.o[n - 2] as number,
                high: h.h[n - 2] as number,
                low: h.l[n - 2] as number,
                close: h.c[n - 2] as number,
              }
            : undefined;
        if (matchesPattern(rule.pattern, bar, prev) && canFire(slot, t)) {
          changed.add(slot.key);
          fire(
            slot,
            trigger,
            t,
            bar.close,
            bar.open,
            `${rule.period} ${rule.pattern.replace('_', ' ')} closed at ${bar.close}`,
            out,
          );
        }
        return;
      }
      case 'trend_line': {
        const line = linePriceAt(rule.from, rule.to, rule.extend, bar.openTimeUs);
        if (Number.isNaN(line)) return;
        const side = bar.close >= line ? 1 : -1;
        if (crossing(slot, 'side', side, rule.direction, t))
          fire(
            slot,
            trigger,
            t,
            bar.close,
            line,
            `${rule.period} close ${bar.close} crossed ${side > 0 ? 'above' : 'below'} the trend line (${line.toFixed(2)} at that bar)`,
            out,
          );
        return;
      }
      default:
        return;
    }
  }

  return {
    setRules(rules) {
      const previous = new Map(slots);
      slots.clear();
      tradeIndex.clear();
      barIndex.clear();
      windows.clear();
      lastSlots = undefined;
      lastVenue = '';
      lastSymbol = '';
      for (const rule of rules) {
        const key = `r|${rule.id}`;
        const old = previous.get(key);
        const slot: Slot = { rule, key, state: old?.state ?? freshState(), window: windowOf(rule) };
        slots.set(key, slot);
        if (isTradeRule(rule)) {
          let bySymbol = tradeIndex.get(rule.venue);
          if (bySymbol === undefined) {
            bySymbol = new Map();
            tradeIndex.set(rule.venue, bySymbol);
          }
          const list = bySymbol.get(rule.symbol);
          if (list === undefined) bySymbol.set(rule.symbol, [slot]);
          else list.push(slot);
        } else {
          const period = (rule as { period: string }).period;
          const hk = historyKey(rule.venue, rule.symbol, period);
          const list = barIndex.get(hk);
          if (list === undefined) barIndex.set(hk, [slot]);
          else list.push(slot);
          windows.set(hk, Math.max(windows.get(hk) ?? 0, slot.window));
        }
      }
      for (const hk of histories.keys()) if (!windows.has(hk)) histories.delete(hk);
    },

    onTrade(venue, symbol, seq, timeUs, price, out) {
      let list: Slot[] | undefined;
      if (venue === lastVenue && symbol === lastSymbol) list = lastSlots;
      else {
        list = tradeIndex.get(venue)?.get(symbol);
        lastVenue = venue;
        lastSymbol = symbol;
        lastSlots = list;
      }
      if (list === undefined) return;
      const p = price();
      for (let i = 0; i < list.length; i++) onTradeRule(list[i] as Slot, seq, timeUs, p, out);
    },

    onBar(bar, out) {
      const hk = historyKey(bar.venue, bar.symbol, bar.period);
      const list = barIndex.get(hk);
      if (list === undefined) return;
      let h = histories.get(hk);
      if (h === undefined) {
        h = freshHistory();
        histories.set(hk, h);
      }
      if (bar.openTimeUs <= h.lastOpenUs) return;
      h.lastOpenUs = bar.openTimeUs;
      h.t.push(bar.openTimeUs);
      h.o.push(bar.open);
      h.h.push(bar.high);
      h.l.push(bar.low);
      h.c.push(bar.close);
      h.v.push(bar.volume);
      const keep = windows.get(hk) ?? 1;
      if (h.c.length > keep) {
        const drop = h.c.length - keep;
        for (const col of [h.t, h.o, h.h, h.l, h.c, h.v]) col.splice(0, drop);
      }
      changed.add(hk);
      const trigger = `b${bar.period}:${bar.openTimeUs}`;
      for (const slot of list) onBarRule(slot, h, bar, trigger, out);
    },

    takeChanged() {
      const keys = [...changed];
      changed.clear();
      return keys;
    },

    snapshot(key) {
      const value = key.startsWith('h|') ? histories.get(key) : slots.get(key)?.state;
      return value === undefined ? undefined : encoder.encode(JSON.stringify(value));
    },

    restore(key, bytes) {
      if (key.startsWith('h|')) {
        if (bytes === undefined) histories.delete(key);
        else if (windows.has(key)) histories.set(key, JSON.parse(decoder.decode(bytes)) as BarHistory);
        return;
      }
      const slot = slots.get(key);
      if (slot === undefined) return;
      slot.state = bytes === undefined ? freshState() : (JSON.parse(decoder.decode(bytes)) as RuleState);
    },
  };
}
