/// <reference lib="dom" />
/**
 * Page load to first candles painted, in headless Debian Chromium: each run a fresh browser
 * context (cold cache) holding the session cookie opens the page; a script injected before the
 * page's own looks at the chart's canvases on every animation frame and notes the moment one
 * holds candle-coloured pixels. Times are the page's `performance.now()`, i.e. from navigation
 * start. The look itself (getImageData of each canvas) costs a few ms a frame, so the figure is
 * if anything pessimistic, at a resolution of one frame.
 */
import type { Browser } from 'playwright-core';
import { THEMES } from '../../mcp-servers/charting/render/theme.ts';

export interface PageLoadRun {
  /** Navigation start → DOMContentLoaded, ms. */
  readonly dcl: number;
  /** Navigation start → the /api/candles answer fully received, ms. */
  readonly candles: number;
  /** Navigation start → candles on the canvas, ms. */
  readonly painted: number;
}

/** Up/down candle colours of both themes as [r, g, b]. */
const CANDLE_RGB = [THEMES.dark.up, THEMES.dark.down, THEMES.light.up, THEMES.light.down].map((hex) =>
  [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)),
);

declare const window: Window & { __qfPainted?: number };

/**
 * Runs in the page before its scripts. A string, not a function: tsx would wrap a function's
 * inner declarations in a helper (`__name`) the page does not have.
 */
const WATCH_FOR_CANDLES = `(() => {
  const colours = ${JSON.stringify(CANDLE_RGB)};
  const look = () => {
    const chart = document.getElementById('chart');
    for (const canvas of chart ? chart.querySelectorAll('canvas') : []) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const ctx = canvas.getContext('2d');
      if (ctx === null) continue;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue;
        for (const [r, g, b] of colours)
          if (Math.abs(data[i] - r) <= 10 && Math.abs(data[i + 1] - g) <= 10 && Math.abs(data[i + 2] - b) <= 10) n++;
      }
      if (n > 200) {
        window.__qfPainted = performance.now();
        return;
      }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();`;

export async function pageLoads(
  browser: Browser,
  url: string,
  cookie: { name: string; value: string },
  runs: number,
): Promise<PageLoadRun[]> {
  const out: PageLoadRun[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 720 } });
    try {
      await context.addCookies([{ ...cookie, url }]);
      await context.addInitScript({ content: WATCH_FOR_CANDLES });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => window.__qfPainted !== undefined, undefined, { timeout: 15_000 });
      out.push(
        await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const candles = performance
            .getEntriesByType('resource')
            .find((e) => e.name.includes('/api/candles')) as PerformanceResourceTiming | undefined;
          return {
            dcl: nav.domContentLoadedEventEnd,
            candles: candles?.responseEnd ?? Number.NaN,
            painted: window.__qfPainted ?? Number.NaN,
          };
        }),
      );
    } finally {
      await context.close();
    }
  }
  return out;
}
