/**
 * Writes docs/images/png-drawings.png: every drawing kind of the catalogue rendered by the PNG
 * renderer over recorded BTC/USDT 5m candles.
 *
 * Usage: node --import tsx mcp-servers/scripts/drawings-chart.ts [out.png]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderChartPng } from '../charting/render/index.ts';
import { allDrawingsSpec } from '../charting/render/testing/all-drawings.ts';

const out = resolve(
  process.argv[2] ?? resolve(import.meta.dirname, '..', '..', 'docs/images/png-drawings.png'),
);
const { png, width, height } = await renderChartPng(allDrawingsSpec());
writeFileSync(out, png);
process.stdout.write(`${out} ${width}x${height}\n`);
