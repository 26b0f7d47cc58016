/**
 * Writes docs/images/chart-example.png: what render_chart draws (BTC/USDT 5m from the recorded
 * data, SMA + Bollinger overlays, RSI and MACD panes, a level, a trend line and two markers).
 *
 * Usage: node --import tsx mcp-servers/scripts/example-chart.ts [out.png]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '../../core/logger.ts';
import { fixedContext } from '../common/index.ts';
import { createNamedServer } from '../registry.ts';
import { openMcpServices } from '../services.ts';
import { filledTempStore } from '../testing/fill-store.ts';
import { linkClient } from '../testing/link-client.ts';

const out = resolve(
  process.argv[2] ?? resolve(import.meta.dirname, '..', '..', 'docs/images/chart-example.png'),
);
const T = (iso: string) => Date.parse(iso) * 1000;
const store = await filledTempStore();
const services = await openMcpServices({
  dataDir: store.dir,
  logger: createLogger({ name: 'example', level: 'warn' }),
});
const ctx = { userId: 'example', workspaceId: 'default', channel: 'script', licence: 'local' };
const { client, close } = await linkClient(
  (await createNamedServer('charting', services, fixedContext(ctx))).server,
);
try {
  const r = (await client.callTool({
    name: 'render_chart',
    arguments: {
      symbol: 'BTC/USDT',
      period: '5m',
      from: '2023-01-13T06:00:00Z',
      to: '2023-01-13T22:00:00Z',
      indicators: [
        { indicator: 'sma', params: { period: 20 } },
        { indicator: 'bbands' },
        { indicator: 'rsi' },
        { indicator: 'macd' },
      ],
      drawings: [
        { type: 'hline', price: 19000, label: 'round number' },
        {
          type: 'trendline',
          from: { time: T('2023-01-13T08:00:00Z'), price: 18850 },
          to: { time: T('2023-01-13T20:00:00Z'), price: 19300 },
          label: 'trend',
        },
        { type: 'marker', side: 'buy', time: T('2023-01-13T13:30:00Z'), price: 18800, text: 'breakout' },
        { type: 'marker', side: 'sell', time: T('2023-01-13T21:00:00Z'), price: 19400 },
      ],
      width: 1200,
      height: 800,
      use_workspace: false,
    },
  })) as CallToolResult;
  const image = r.content.find((c) => c.type === 'image') as { data: string } | undefined;
  if (r.isError || image === undefined) throw new Error(JSON.stringify(r.content));
  writeFileSync(out, Buffer.from(image.data, 'base64'));
  const text = r.content.find((c) => c.type === 'text') as { text: string };
  process.stdout.write(`${out}\n${text.text}\n`);
} finally {
  await close();
  services.close();
  store.cleanup();
}
