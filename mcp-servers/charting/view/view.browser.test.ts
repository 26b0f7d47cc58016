/**
 * The chart view in Debian's Chromium: a harness page (bundled here with esbuild, served from a
 * throwaway local server) shows real recorded BTC/USDT bars with indicators and all twelve
 * catalogue drawings; a live bar changes the last candle; the mouse draws an hline, a trend
 * line and a rectangle (catalogue-valid, snapped to bar times); Delete removes a selection.
 * Screenshot: docs/images/chart-view-drawings.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/support/browser.ts';
import { REPO_ROOT, recordedData } from '../../../test/support/index.ts';
import { PAGE_SCRIPT, serveBundledPage } from '../../../test/support/serve-page.ts';
import { DRAWING_TYPES, type Drawing, drawingSchema } from '../catalogue.ts';
import { THEMES } from '../render/theme.ts';
import type { ChartView, ChartViewState, ViewBar, ViewDrawing } from './types.ts';

/** What the harness page puts on `window`. */
interface Harness {
  view: ChartView;
  events: { created: unknown[]; deleted: string[] };
  countPixels(hex: string): number;
}
declare const window: Harness;

const WIDTH = 1200;
const HEIGHT = 720;

/** The last 150 real BTC/USDT 5m candles of the recording (freqtrade, see PROVENANCE.md). */
function loadBars(): ViewBar[] {
  const rows = readFileSync(recordedData('candles', 'freqtrade-BTC_USDT-5m-20230102-20230209.csv'), 'utf8')
    .trim()
    .split('\n');
  return rows.slice(-150).map((row) => {
    const [t, open, high, low, close, volume] = row.split(',').map(Number) as number[];
    return {
      time: (t as number) / 1000,
      open: open!,
      high: high!,
      low: low!,
      close: close!,
      volume: volume!,
    };
  });
}

/** One drawing of every kind, placed on the bars. */
function everyKind(bars: readonly ViewBar[]): ViewDrawing[] {
  const us = (i: number) => (bars[i] as ViewBar).time * 1e6;
  const lo = Math.min(...bars.map((b) => b.low));
  const hi = Math.max(...bars.map((b) => b.high));
  const p = (f: number) => Number((lo + (hi - lo) * f).toFixed(2));
  const drawings: Drawing[] = [
    { type: 'hline', price: p(0.9), label: 'resistance' },
    { type: 'vline', time: us(20), label: 'open' },
    { type: 'trendline', from: { time: us(5), price: p(0.1) }, to: { time: us(45), price: p(0.5) } },
    {
      type: 'ray',
      from: { time: us(100), price: p(0.75) },
      to: { time: us(115), price: p(0.7) },
      label: 'ray',
    },
    {
      type: 'rect',
      from: { time: us(50), price: p(0.6) },
      to: { time: us(70), price: p(0.4) },
      label: 'zone',
    },
    {
      type: 'channel',
      from: { time: us(75), price: p(0.15) },
      to: { time: us(110), price: p(0.35) },
      offset: (hi - lo) * 0.12,
    },
    { type: 'fib', from: { time: us(10), price: p(0.2) }, to: { time: us(40), price: p(0.85) } },
    {
      type: 'position',
      side: 'long',
      entry: { time: us(120), price: p(0.5) },
      stop: p(0.4),
      target: p(0.75),
    },
    { type: 'range', from: { time: us(125), price: p(0.2) }, to: { time: us(140), price: p(0.35) } },
    { type: 'text', time: us(90), price: p(0.95), text: 'note' },
    { type: 'callout', at: { time: us(60), price: p(0.2), snap: 'low' }, text: 'swing low' },
    { type: 'marker', side: 'buy', time: us(30), price: (bars[30] as ViewBar).low, text: 'buy' },
  ];
  return drawings.map((drawing) => ({ id: `d-${drawing.type}`, drawing: drawingSchema.parse(drawing) }));
}

describe('chart view in Chromium', () => {
  const bars = loadBars();
  const drawings = everyKind(bars);
  let browser: Browser;
  let server: Server;
  let page: Page;
  const state = (): Promise<ChartViewState> => page.evaluate(() => window.view.state());

  beforeAll(async () => {
    const served = await serveBundledPage(
      path.join(import.meta.dirname, 'testing', 'harness.ts'),
      `<!doctype html><html><body style="margin:0;background:#131722">
<div id="chart" style="width:${WIDTH}px;height:${HEIGHT}px"></div><script src="${PAGE_SCRIPT}"></script></body></html>`,
    );
    server = served.server;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    await page.waitForFunction(() => 'view' in window);
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('paints candles, indicators and every catalogue drawing', async () => {
    await page.evaluate(
      ([b, d]) => {
        window.view.setBars(b);
        window.view.setIndicators([
          { id: 'i1', name: 'sma', params: { period: 20 } },
          { id: 'i2', name: 'bbands', params: {} },
          { id: 'i3', name: 'rsi', params: { period: 14 } },
          { id: 'i4', name: 'macd', params: {} },
        ]);
        window.view.setDrawings(d);
      },
      [bars, drawings] as const,
    );
    // Up candles in the theme's colour on the canvas: painted, not blank.
    await page.waitForFunction((up) => window.countPixels(up) > 500, THEMES.dark.up);
    const s = await state();
    expect(s.bars).toBe(bars.length);
    expect(s.last).toEqual(bars.at(-1));
    expect([...s.drawings].sort()).toEqual(DRAWING_TYPES.map((t) => `d-${t}`).sort());
    expect(s.indicators).toEqual(['sma', 'bbands', 'rsi', 'macd']);
    // The drawings' default colour is on the canvas too.
    expect(await page.evaluate((c) => window.countPixels(c), THEMES.dark.drawing)).toBeGreaterThan(200);
    mkdirSync(path.join(REPO_ROOT, 'docs', 'images'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'images', 'chart-view-drawings.png') });
  });

  it('updateBar replaces the forming last candle and appends the next', async () => {
    const last = bars.at(-1) as ViewBar;
    const forming = { ...last, high: last.high + 50, close: last.high + 40, volume: last.volume + 1 };
    await page.evaluate((b) => window.view.updateBar(b), forming);
    expect((await state()).last).toEqual(forming);
    expect((await state()).bars).toBe(bars.length);
    const next = { ...forming, time: forming.time + 300, open: forming.close };
    await page.evaluate((b) => window.view.updateBar(b), next);
    const s = await state();
    expect(s.bars).toBe(bars.length + 1);
    expect(s.last).toEqual(next);
  });

  it('draws an hline, a trend line and a rectangle with the mouse, snapped to bar times', async () => {
    const barTimes = new Set(bars.map((b) => b.time * 1e6));
    barTimes.add((bars.at(-1) as ViewBar).time * 1e6 + 300e6);
    await page.evaluate(() => window.view.setTool('hline'));
    await page.mouse.click(300, 120);
    await page.evaluate(() => window.view.setTool('trendline'));
    await page.mouse.move(200, 300);
    await page.mouse.down();
    await page.mouse.move(420, 160, { steps: 6 });
    await page.mouse.up();
    await page.evaluate(() => window.view.setTool('rect'));
    await page.mouse.click(520, 200);
    await page.mouse.click(660, 300);
    await page.evaluate(() => window.view.setTool(null));
    const created = (await page.evaluate(() => window.events.created)).map((d) => drawingSchema.parse(d));
    expect(created.map((d) => d.type)).toEqual(['hline', 'trendline', 'rect']);
    const [hline, trend, rect] = created;
    const lo = Math.min(...bars.map((b) => b.low));
    const hi = Math.max(...bars.map((b) => b.high));
    expect(hline?.type === 'hline' && hline.price > lo && hline.price < hi + 100).toBe(true);
    for (const d of [trend, rect]) {
      if (d?.type !== 'trendline' && d?.type !== 'rect') throw new Error(`unexpected ${d?.type}`);
      expect(barTimes.has(d.from.time) && barTimes.has(d.to.time)).toBe(true);
      expect(d.from.time).toBeLessThan(d.to.time);
      expect(d.from.price).toBeGreaterThan(lo - (hi - lo));
      expect(d.to.price).toBeLessThan(hi + (hi - lo));
    }
    if (trend?.type === 'trendline') expect(trend.to.price).toBeGreaterThan(trend.from.price); // dragged up-right
  });

  it('deletes a selected drawing with the Delete key', async () => {
    const hline = (await page.evaluate(() => window.events.created[0])) as Drawing;
    await page.evaluate(([d, h]) => window.view.setDrawings([...d, { id: 'u1', drawing: h }]), [
      drawings,
      hline,
    ] as const);
    expect((await state()).drawings).toContain('u1');
    await page.mouse.click(300, 120); // on the hline drawn at this point
    await page.keyboard.press('Delete');
    expect(await page.evaluate(() => window.events.deleted)).toEqual(['u1']);
    expect((await state()).drawings).not.toContain('u1');
  });
});
