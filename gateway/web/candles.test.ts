import { describe, expect, it } from 'vitest';
import type { BarMessage } from '../ws/protocol.ts';
import { barMessageToViewBar, candlesAnswerSchema, createBarFeed, toViewBars } from './candles.ts';

const bar = (time: number, close = 1) => ({ time, open: 1, high: 2, low: 0.5, close, volume: 3 });

describe('toViewBars', () => {
  it('reads rows by column name', () => {
    const answer = candlesAnswerSchema.parse({
      exchange: 'BINANCE',
      symbol: 'BTCUSDT',
      interval: '1m',
      columns: ['time', 'open', 'high', 'low', 'close', 'volume'],
      bars: [
        [60, 1, 2, 0.5, 1.5, 10],
        [120, 1.5, 3, 1, 2, 20],
      ],
    });
    expect(toViewBars(answer)).toEqual([
      { time: 60, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
      { time: 120, open: 1.5, high: 3, low: 1, close: 2, volume: 20 },
    ]);
  });

  it('follows reordered columns and names a missing one', () => {
    const base = { exchange: 'X', symbol: 'S', interval: '1m' };
    expect(
      toViewBars({
        ...base,
        columns: ['volume', 'close', 'low', 'high', 'open', 'time'],
        bars: [[6, 5, 4, 3, 2, 1]],
      }),
    ).toEqual([{ time: 1, open: 2, high: 3, low: 4, close: 5, volume: 6 }]);
    expect(() =>
      toViewBars({ ...base, columns: ['time', 'open', 'high', 'low', 'close'], bars: [] }),
    ).toThrow(/"volume"/);
  });

  it('refuses an answer whose rows are not numbers', () => {
    const parsed = candlesAnswerSchema.safeParse({
      exchange: 'X',
      symbol: 'S',
      interval: '1m',
      columns: ['time'],
      bars: [['60']],
    });
    expect(parsed.success).toBe(false);
  });
});

describe('barMessageToViewBar', () => {
  it('keeps the candle fields only', () => {
    const m: BarMessage = {
      type: 'bar',
      exchange: 'BINANCE',
      symbol: 'BTCUSDT',
      period: '1m',
      time: 60,
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 7,
      final: false,
    };
    expect(barMessageToViewBar(m)).toEqual({ time: 60, open: 1, high: 2, low: 0.5, close: 1.5, volume: 7 });
  });
});

describe('createBarFeed', () => {
  it('holds live bars during the load and replays those not older than the history, latest version only', () => {
    const feed = createBarFeed();
    expect(feed.live(bar(60, 1))).toEqual([]);
    expect(feed.live(bar(120, 1))).toEqual([]);
    expect(feed.live(bar(120, 2))).toEqual([]);
    expect(feed.loaded([bar(0), bar(60, 9), bar(120, 1)])).toEqual([bar(120, 2)]);
  });

  it('applies live bars after the load, dropping ones older than the newest shown', () => {
    const feed = createBarFeed();
    feed.loaded([bar(60)]);
    expect(feed.live(bar(60, 2))).toEqual([bar(60, 2)]);
    expect(feed.live(bar(120))).toEqual([bar(120)]);
    expect(feed.live(bar(60, 3))).toEqual([]);
  });

  it('starts over on reset: bars of the previous series are forgotten', () => {
    const feed = createBarFeed();
    feed.loaded([bar(600)]);
    feed.reset();
    expect(feed.live(bar(60))).toEqual([]);
    expect(feed.loaded([])).toEqual([bar(60)]);
  });
});
