import { describe, expect, it } from 'vitest';
import { computeIndicators as computeAll } from '../../../indicators/index.ts';
import { DRAWING_TYPES, type Drawing } from '../catalogue.ts';
import { fibLevels, positionMeasures, priceChange } from '../measures.ts';
import { deleteButtonAt, drawingDistance, HIT_TOLERANCE, hitDrawing, segmentDistance } from './hit-test.ts';
import { barInput, computeIndicators } from './indicator-series.ts';
import { createMouseTool } from './mouse-tools.ts';
import { drawingShapes, type Frame, rayEnd } from './shapes.ts';
import { barInterval, logicalToBarTime, timeToLogical } from './time-axis.ts';

// Bars every 60 s from t=1000 s; x = 10 px per bar, y = 500 - price.
const times = [1000, 1060, 1120, 1180, 1240];
const frame: Frame = {
  x: (us) => (timeToLogical(times, us / 1e6) ?? 0) * 10,
  y: (p) => 500 - p,
  width: 400,
  height: 500,
  lastTimeUs: 1240e6,
  color: '#ffeb3b',
  up: '#26a69a',
  down: '#ef5350',
  formatPrice: (p) => p.toFixed(2),
};

describe('time axis', () => {
  it('maps times to logical positions, between and beyond bars', () => {
    expect(barInterval(times)).toBe(60);
    expect(timeToLogical(times, 1060)).toBe(1);
    expect(timeToLogical(times, 1090)).toBe(1.5);
    expect(timeToLogical(times, 1360)).toBe(6);
    expect(timeToLogical(times, 940)).toBe(-1);
    expect(timeToLogical([], 1)).toBeNull();
  });
  it('snaps a logical position to a bar time, extrapolating past the last bar', () => {
    expect(logicalToBarTime(times, 1.4)).toBe(1060);
    expect(logicalToBarTime(times, 1.6)).toBe(1120);
    expect(logicalToBarTime(times, 6.2)).toBe(1360);
  });
});

describe('measures', () => {
  it('fib levels: 0 at the swing end, 1 at its start', () => {
    expect(fibLevels(100, 200, [0, 0.5, 1])).toEqual([
      { level: 0, price: 200 },
      { level: 0.5, price: 150 },
      { level: 1, price: 100 },
    ]);
  });
  it('position risk and reward for long and short', () => {
    const long = positionMeasures('long', 100, 95, 110);
    expect([long.risk, long.reward, long.ratio]).toEqual([5, 10, 2]);
    const short = positionMeasures('short', 100, 104, 88);
    expect([short.risk, short.reward, short.ratio]).toEqual([4, 12, 3]);
    expect(positionMeasures('long', 100, 101, 110).ratio).toBeNaN();
    expect(priceChange(200, 210)).toEqual({ change: 10, pct: 5 });
  });
});

describe('shapes and hit tests', () => {
  const samples: Record<string, Drawing> = {
    hline: { type: 'hline', price: 100 },
    vline: { type: 'vline', time: 1120e6 },
    trendline: { type: 'trendline', from: { time: 1000e6, price: 100 }, to: { time: 1240e6, price: 140 } },
    ray: { type: 'ray', from: { time: 1000e6, price: 100 }, to: { time: 1060e6, price: 110 } },
    rect: { type: 'rect', from: { time: 1060e6, price: 120 }, to: { time: 1180e6, price: 100 } },
    channel: {
      type: 'channel',
      from: { time: 1000e6, price: 100 },
      to: { time: 1240e6, price: 120 },
      offset: 10,
    },
    fib: { type: 'fib', from: { time: 1000e6, price: 100 }, to: { time: 1240e6, price: 200 } },
    position: { type: 'position', side: 'long', entry: { time: 1060e6, price: 100 }, stop: 90, target: 130 },
    range: { type: 'range', from: { time: 1060e6, price: 100 }, to: { time: 1180e6, price: 110 } },
    text: { type: 'text', time: 1120e6, price: 100, text: 'note' },
    callout: { type: 'callout', at: { time: 1120e6, price: 100 }, text: 'look' },
    marker: { type: 'marker', side: 'buy', time: 1120e6, price: 100 },
  };
  it('every catalogue kind has shapes', () => {
    expect(Object.keys(samples).sort()).toEqual([...DRAWING_TYPES].sort());
    for (const d of Object.values(samples)) expect(drawingShapes(d, frame).length, d.type).toBeGreaterThan(0);
  });
  it('places lines where their anchors are', () => {
    expect(drawingShapes(samples.trendline as Drawing, frame)[0]).toMatchObject({
      x1: 0,
      y1: 400,
      x2: 40,
      y2: 360,
    });
    expect(drawingShapes(samples.hline as Drawing, frame)[0]).toMatchObject({
      x1: 0,
      y1: 400,
      x2: 400,
      y2: 400,
    });
    const fibYs = drawingShapes(samples.fib as Drawing, frame).flatMap((s) =>
      s.k === 'line' && s.y1 === s.y2 ? [s.y1] : [],
    );
    expect(fibYs).toContain(500 - 161.8);
  });
  it('extends a ray to the pane edge', () => {
    expect(rayEnd([0, 400], [10, 390], 400, 500)).toEqual([400, 0]);
    expect(rayEnd([0, 400], [10, 400], 400, 500)).toEqual([400, 400]);
  });
  it('hits a stroke within the tolerance and prefers it over an area it crosses', () => {
    expect(segmentDistance(5, 3, 0, 0, 10, 0)).toBe(3);
    const entries = [
      { id: 'zone', shapes: drawingShapes(samples.rect as Drawing, frame) },
      { id: 'level', shapes: drawingShapes({ type: 'hline', price: 110 }, frame) },
    ];
    expect(hitDrawing(entries, 20, 391)).toBe('level');
    expect(hitDrawing(entries, 20, 382)).toBe('zone'); // inside the zone, off the level
    expect(hitDrawing(entries, 300, 200)).toBeNull();
    expect(drawingDistance(entries[0]!.shapes, 20, 390)).toBe(HIT_TOLERANCE);
    expect(deleteButtonAt(entries[1]!.shapes, 400, 500)).toEqual([390, 364]); // above its label
  });
});

describe('mouse tools', () => {
  const p = (x: number, y: number) => ({ x, y, timeUs: x * 1e6, price: y });
  it('hline on one click', () => {
    expect(createMouseTool('hline').down(p(1, 50)).done).toEqual({ type: 'hline', price: 50 });
  });
  it('trendline by dragging, rect by two clicks', () => {
    const t = createMouseTool('trendline');
    t.down(p(0, 0));
    t.move(p(20, 20));
    expect(t.up(p(30, 30)).done).toEqual({
      type: 'trendline',
      from: { time: 0, price: 0 },
      to: { time: 30e6, price: 30 },
    });
    const r = createMouseTool('rect');
    r.down(p(0, 0));
    expect(r.up(p(1, 1)).done).toBeNull(); // a click, not a drag
    expect(r.move(p(40, 10)).preview?.type).toBe('rect');
    expect(r.down(p(50, 20)).done).toEqual({
      type: 'rect',
      from: { time: 0, price: 0 },
      to: { time: 50e6, price: 20 },
    });
    expect(r.up(p(50, 20)).done).toBeNull();
  });
});

describe('indicators of the view', () => {
  const bars = Array.from({ length: 60 }, (_, i) => ({
    time: 1000 + i * 60,
    open: 100 + Math.sin(i),
    high: 102 + Math.sin(i),
    low: 98 + Math.sin(i),
    close: 100 + Math.cos(i),
    volume: 10 + i,
  }));
  it('lays out overlays and oscillator panes like the PNG chart, and reports bad ones', () => {
    const [sma, macd, rsi, bad] = computeIndicators(
      [
        { id: 'a', name: 'sma', params: { period: 5 } },
        { id: 'b', name: 'macd', params: {} },
        { id: 'c', name: 'rsi', params: {} },
        { id: 'd', name: 'nope', params: {} },
      ],
      barInput(bars),
    );
    expect(sma && 'layout' in sma && sma.layout.overlay && sma.layout.lines.map((l) => l.name)).toEqual([
      'SMA(5)',
    ]);
    expect(macd && 'layout' in macd && macd.layout.lines.map((l) => l.kind)).toEqual([
      'line',
      'line',
      'histogram',
    ]);
    expect(rsi && 'layout' in rsi && rsi.layout.levels).toEqual([30, 70]);
    expect(bad && 'error' in bad && bad.error).toMatch(/nope/);
    const direct = computeAll(barInput(bars), [{ name: 'sma', params: { period: 5 } }]);
    expect(sma && 'layout' in sma && Array.from(sma.layout.lines[0]!.values)).toEqual(
      Array.from(Object.values(direct[0]!.columns)[0]!),
    );
  });
});
