/// <reference lib="dom" />
/**
 * The browser test's page: a chart view in `#chart`, its events recorded, and a pixel counter
 * over the chart's canvases. Bundled by the test with esbuild; test-only.
 */
import { countCanvasPixels } from '../../../../test/support/canvas-pixels.ts';
import type { Drawing } from '../../catalogue.ts';
import { createChartView } from '../index.ts';

const container = document.getElementById('chart') as HTMLElement;
const view = createChartView(container, { theme: 'dark' });
const events = { created: [] as Drawing[], deleted: [] as string[] };
view.onDrawingCreated((d) => events.created.push(d));
view.onDrawingDeleted((id) => events.deleted.push(id));

/** Pixels of the chart's canvases within 10 of the colour `#rrggbb`. */
const countPixels = (hex: string): number => countCanvasPixels(hex, container);

Object.assign(window, { view, events, countPixels });
