import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AlertBar, type AlertFire, createAlertEvaluator } from './evaluator.ts';
import { type Candle, matchesPattern } from './patterns.ts';
import { type AlertRule, alertRuleSchema } from './rules.ts';
import { AlertLimitError, createAlertRuleStore } from './store.ts';

const base = { userId: 'u', workspaceId: 'w', venue: 'BINANCE', symbol: 'BTCUSDT', createdAtUs: 0 };
const rule = (r: Record<string, unknown>): AlertRule => alertRuleSchema.parse({ ...base, id: 'r', ...r });
const MIN = 60_000_000;

/** Trades at 1 s apart, seq from 1; the fires' triggers. */
function runTrades(rules: AlertRule[], prices: number[]): string[] {
  const e = createAlertEvaluator();
  e.setRules(rules);
  const out: AlertFire[] = [];
  prices.forEach((p, i) => {
    e.onTrade('BINANCE', 'BTCUSDT', i + 1, i * 1_000_000, () => p, out);
  });
  return out.map((f) => `${f.rule.id}@${f.trigger}`);
}

const bar = (i: number, c: Partial<Candle> & { close: number }, volume = 1): AlertBar => ({
  venue: 'BINANCE',
  symbol: 'BTCUSDT',
  period: '1m',
  openTimeUs: i * MIN,
  closeTimeUs: (i + 1) * MIN - 1,
  open: c.open ?? c.close,
  high: c.high ?? Math.max(c.open ?? c.close, c.close),
  low: c.low ?? Math.min(c.open ?? c.close, c.close),
  close: c.close,
  volume,
});

function runBars(rules: AlertRule[], bars: AlertBar[]): AlertFire[] {
  const e = createAlertEvaluator();
  e.setRules(rules);
  const out: AlertFire[] = [];
  for (const b of bars) e.onBar(b, out);
  return out;
}

describe('candle patterns', () => {
  const cases: [string, Candle, Candle | undefined, boolean][] = [
    ['doji', { open: 100, high: 105, low: 95, close: 100.5 }, undefined, true],
    ['doji', { open: 100, high: 105, low: 95, close: 102 }, undefined, false],
    ['hammer', { open: 100, high: 102.2, low: 90, close: 102 }, undefined, true],
    ['hammer', { open: 100, high: 106, low: 90, close: 102 }, undefined, false],
    ['shooting_star', { open: 102, high: 110, low: 99.5, close: 100 }, undefined, true],
    ['shooting_star', { open: 100, high: 102.2, low: 90, close: 102 }, undefined, false],
    [
      'bullish_engulfing',
      { open: 98, high: 104, low: 97, close: 103 },
      { open: 102, high: 102, low: 99, close: 99 },
      true,
    ],
    [
      'bullish_engulfing',
      { open: 100, high: 104, low: 97, close: 103 },
      { open: 102, high: 102, low: 99, close: 99 },
      false,
    ],
    [
      'bearish_engulfing',
      { open: 103, high: 104, low: 97, close: 98 },
      { open: 99, high: 102, low: 99, close: 102 },
      true,
    ],
    ['bearish_engulfing', { open: 103, high: 104, low: 97, close: 98 }, undefined, false],
  ];
  it.each(cases)('%s on %o after %o → %s', (pattern, candle, previous, want) => {
    expect(matchesPattern(pattern as never, candle, previous)).toBe(want);
  });
});

describe('alert evaluator', () => {
  it('fires a level on the crossing trade only, once or with a cooldown', () => {
    const prices = [99, 100.5, 99, 101, 98, 102];
    expect(runTrades([rule({ kind: 'price_level', level: 100, direction: 'up' })], prices)).toEqual(['r@t2']);
    expect(
      runTrades([rule({ kind: 'price_level', level: 100, direction: 'either', mode: 'recurring' })], prices),
    ).toEqual(['r@t2', 'r@t3', 'r@t4', 'r@t5', 'r@t6']);
    expect(
      runTrades(
        [rule({ kind: 'price_level', level: 100, direction: 'up', mode: 'recurring', cooldownMs: 2500 })],
        prices,
      ),
    ).toEqual(['r@t2', 'r@t6']);
    // Expired (event time): nothing; created after the first crossing (t2 at 1 s): the next one.
    expect(
      runTrades([rule({ kind: 'price_level', level: 100, direction: 'up', expiresAtUs: 500_000 })], prices),
    ).toEqual([]);
    expect(
      runTrades([rule({ kind: 'price_level', level: 100, direction: 'up', createdAtUs: 2_000_000 })], prices),
    ).toEqual(['r@t4']);
  });

  it('fires a trend line where the trade crosses the line at the trade time', () => {
    // Line 100 at t=0 rising 1 per second: at t=3 s it is 103.
    const line = { kind: 'trend_line', from: { time: 0, price: 100 }, to: { time: 1_000_000, price: 101 } };
    expect(runTrades([rule({ ...line, direction: 'up' })], [99, 100, 101, 103.5, 103])).toEqual(['r@t4']);
    // The same prices against a flat 100 line would have crossed at t2.
    expect(
      runTrades([rule({ kind: 'price_level', level: 100, direction: 'up' })], [99, 100, 101, 103.5]),
    ).toEqual(['r@t2']);
  });

  it("fires a trend line on the bar whose close crosses the line's price at that bar's time", () => {
    const r = rule({
      kind: 'trend_line',
      on: 'bar',
      period: '1m',
      direction: 'down',
      from: { time: 0, price: 100 },
      to: { time: 10 * MIN, price: 110 },
    });
    // Line at bars 0..3: 100, 101, 102, 103; closes stay at 101.5 → above, above, below at bar 2.
    const fires = runBars(
      [r],
      [0, 1, 2, 3].map((i) => bar(i, { close: 101.5 })),
    );
    expect(fires.map((f) => [f.trigger, f.threshold])).toEqual([[`b1m:${2 * MIN}`, 102]]);
  });

  it('fires zones, percent moves, volume spikes, MA crosses, RSI and patterns', () => {
    expect(
      runTrades(
        [rule({ kind: 'zone', from: 105, to: 100, event: 'enter', mode: 'recurring' })],
        [99, 101, 106, 104],
      ),
    ).toEqual(['r@t2', 'r@t4']);
    expect(
      runTrades(
        [rule({ kind: 'percent_move', percent: 2, windowMs: 3000, direction: 'up' })],
        [100, 101, 101.9, 102.5, 103],
      ),
    ).toEqual(['r@t4']);
    // Outside the window: 100 at t0 is gone by t4 (window 3 s), low is 101.
    expect(
      runTrades(
        [rule({ kind: 'percent_move', percent: 2, windowMs: 3000, direction: 'up' })],
        [100, 101, 101, 101, 102.5],
      ),
    ).toEqual([]);

    const vol = rule({ kind: 'volume_spike', period: '1m', lookback: 3, multiplier: 3 });
    expect(
      runBars(
        [vol],
        [1, 2, 1, 2, 4, 20].map((v, i) => bar(i, { close: 100 }, v)),
      ).map((f) => f.trigger),
    ).toEqual([`b1m:${5 * MIN}`]);

    const ma = rule({ kind: 'ma_cross', period: '1m', average: 'sma', fast: 2, slow: 3, direction: 'up' });
    const closes = [10, 9, 8, 7, 9, 12];
    // SMA2 vs SMA3: (8.5,9) (7.5,8) (8,8) (10.5,9.33) → crosses up at bar 5.
    expect(
      runBars(
        [ma],
        closes.map((c, i) => bar(i, { close: c })),
      ).map((f) => f.trigger),
    ).toEqual([`b1m:${5 * MIN}`]);

    const rsi = rule({
      kind: 'indicator_threshold',
      period: '1m',
      indicator: 'rsi',
      params: { period: 3 },
      condition: 'above',
      threshold: 70,
      mode: 'recurring',
    });
    const rsiCloses = [100, 99, 98, 99, 98, 97, 99, 101, 103, 102, 100, 98, 99, 102, 104];
    const rsiFires = runBars(
      [rsi],
      rsiCloses.map((c, i) => bar(i, { close: c })),
    );
    expect(rsiFires.length).toBeGreaterThan(0);
    for (const f of rsiFires) expect(f.value).toBeGreaterThan(70);

    const engulf = rule({ kind: 'candle_pattern', period: '1m', pattern: 'bullish_engulfing' });
    const fires = runBars([engulf], [bar(0, { open: 102, close: 99 }), bar(1, { open: 98, close: 103 })]);
    expect(fires.map((f) => f.trigger)).toEqual([`b1m:${MIN}`]);
  });

  it('restores from snapshots to the same decisions, and ignores other symbols', () => {
    const r = rule({ kind: 'price_level', level: 100, direction: 'up' });
    const a = createAlertEvaluator();
    a.setRules([r]);
    const out: AlertFire[] = [];
    a.onTrade('BINANCE', 'ETHUSDT', 1, 0, () => 200, out);
    a.onTrade('BINANCE', 'BTCUSDT', 1, 0, () => 99, out);
    const keys = a.takeChanged();
    expect(keys).toEqual(['r|r']);
    const b = createAlertEvaluator();
    b.setRules([r]);
    b.restore('r|r', a.snapshot('r|r'));
    b.onTrade('BINANCE', 'BTCUSDT', 2, 1, () => 101, out);
    expect(out.map((f) => f.trigger)).toEqual(['t2']);
  });
});

describe('alert rule store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'qf-alerts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates, lists, deletes and keeps rules per user within the limit', () => {
    const store = createAlertRuleStore({ dataDir: dir, clock: () => 42 });
    const input = {
      kind: 'price_level',
      workspaceId: 'w',
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      level: 1,
      direction: 'up',
    } as const;
    const a = store.create('alice', input, 2);
    store.create('alice', input, 2);
    expect(() => store.create('alice', input, 2)).toThrow(AlertLimitError);
    store.create('bob', input, 2);
    expect(a).toMatchObject({ userId: 'alice', createdAtUs: 42, mode: 'once' });
    expect(() => store.create('bob', { ...input, level: -1 }, 5)).toThrow();
    const v = store.version();
    expect(store.delete('alice', a.id)).toBe(true);
    expect(store.delete('alice', a.id)).toBe(false);
    expect(store.version()).toBeGreaterThan(v);
    const again = createAlertRuleStore({ dataDir: dir });
    expect(again.list('alice')).toHaveLength(1);
    expect(
      again
        .rules()
        .map((r) => r.userId)
        .sort(),
    ).toEqual(['alice', 'bob']);
  });

  it('sees and keeps a rule another process wrote: no stale list written back', () => {
    const here = createAlertRuleStore({ dataDir: dir });
    const there = createAlertRuleStore({ dataDir: dir });
    const input = {
      kind: 'zone',
      workspaceId: 'w',
      venue: 'BINANCE',
      symbol: 'ETHUSDT',
      from: 1,
      to: 2,
      event: 'enter',
    } as const;
    const first = there.create('carol', input, 2);
    expect(here.list('carol').map((r) => r.id)).toEqual([first.id]);
    const second = here.create('carol', input, 3);
    expect(() => there.create('carol', input, 2)).toThrow(AlertLimitError);
    expect(there.list('carol').map((r) => r.id)).toEqual([first.id, second.id]);
  });
});
