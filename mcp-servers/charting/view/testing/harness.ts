/// <reference lib="dom" />
/**
 * The browser test's page: a chart view in `#chart`, its events recorded, and a pixel counter
 * over the chart's canvases. Bundled by the test with esbuild; test-only.
 */
import type { Drawing } from '../../catalogue.ts';
import { createChartView } from '../index.ts';

const container = document.getElementById('chart') as HTMLElement;
const view = createChartView(container, { theme: 'dark' });
const events = { created: [] as Drawing[], deleted: [] as string[] };
view.onDrawingCreated((d) => events.created.push(d));
view.onDrawingDeleted((id) => events.deleted.push(id));

/** Pixels of the chart's canvases within 10 of the colour `#rrggbb`. */
function countPixels(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [
    number,
    number,
    number,
  ];
  let n = 0;
  for (const canvas of Array.from(container.querySelectorAll('canvas'))) {
    if (canvas.width === 0 || canvas.height === 0) continue;
    const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
      0,
      0,
      canvas.width,
      canvas.height,
    ).data;
    for (let i = 0; i < data.length; i += 4) {
      if (
        (data[i + 3] as number) > 0 &&
        Math.abs((data[i] as number) - r) <= 10 &&
        Math.abs((data[i + 1] as number) - g) <= 10 &&
        Math.abs((data[i + 2] as number) - b) <= 10
      )
        n++;
    }
  }
  return n;
}

Object.assign(window, { view, events, countPixels });
