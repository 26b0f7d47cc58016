import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedContext } from '../common/index.ts';
import { callTool, linkClient, textOf } from '../testing/link-client.ts';
import { openTestServices } from '../testing/services.ts';
import { createIndicatorsServer } from './index.ts';

const ctx = { userId: 'u1', workspaceId: 'w', channel: 'test', licence: 'pro' };

describe('indicators server', () => {
  let client: Client;
  let done: () => Promise<void>;
  let cleanup: () => void;
  beforeAll(async () => {
    const t = await openTestServices();
    cleanup = t.cleanup;
    const { market, series, logger } = t.services;
    const linked = await linkClient(
      createIndicatorsServer({ market, series, logger, resolveContext: fixedContext(ctx) }).server,
    );
    client = linked.client;
    done = linked.close;
  }, 60_000);
  afterAll(async () => {
    await done();
    cleanup();
  });

  it('lists every indicator with params, outputs and placement', async () => {
    const text = textOf(await callTool(client, 'list_indicators'));
    for (const name of [
      'sma',
      'macd',
      'bbands',
      'rsi',
      'stoch',
      'sar',
      'vwap',
      'ichimoku',
      'supertrend',
      'donchian',
      'keltner',
    ]) {
      expect(text).toMatch(new RegExp(`^${name},`, 'm'));
    }
    expect(text).toContain('macd,');
    expect(text).toMatch(/^rsi,.*period=14 \[.*pane$/m);
    expect(textOf(await callTool(client, 'list_indicators', { search: 'average' }))).not.toContain('rsi,');
  });

  it('computes SMA over a stored range: the last value equals the mean of the last 20 closes', async () => {
    const r = await callTool(client, 'compute_indicator', {
      indicator: 'sma',
      params: { period: 20 },
      symbol: 'BTC/USDT',
      period: '5m',
      from: '2023-01-10T00:00:00Z',
      to: '2023-01-10T12:00:00Z',
      rows: 30,
    });
    expect(r.isError).toBeFalsy();
    const text = textOf(r);
    expect(text).toMatch(
      /^SMA\(20\) on BINANCE:BTCUSDT 5m, 144 bars 2023-01-10T00:00:00Z\.\.2023-01-10T11:55:00Z/,
    );
    const lines = text.split('\n').filter((l) => /^2023-/.test(l));
    expect(lines).toHaveLength(30);
    // Warm-up bars were loaded before `from`: the first shown row already has a value.
    const csv = text.slice(text.indexOf('time,close,sma'));
    const rows = csv
      .split('\n')
      .slice(1, 31)
      .map((l) => l.split(','));
    const closes = rows.map((r) => Number(r[1]));
    const last = Number(rows[29]![2]);
    const mean = closes.slice(-20).reduce((a, b) => a + b, 0) / 20;
    expect(Math.abs(last - mean) / mean).toBeLessThan(1e-9);
    expect(text).toMatch(/All rows|all rows: series:\/\//);
  });

  it('summarises RSI with its zone and crosses, and MACD with signal crosses', async () => {
    const rsi = textOf(
      await callTool(client, 'compute_indicator', {
        indicator: 'rsi',
        symbol: 'BTCUSDT',
        period: '5m',
        from: '2023-01-14',
        to: '2023-01-15',
      }),
    );
    expect(rsi).toMatch(/rsi is (overbought|oversold|neutral) \(levels 70\/30\)/);
    const macd = textOf(
      await callTool(client, 'compute_indicator', {
        indicator: 'macd',
        symbol: 'BTCUSDT',
        period: '5m',
        from: '2023-01-14',
        to: '2023-01-15',
      }),
    );
    expect(macd).toMatch(/macd crossed (above|below) signal at 2023-01-14/);
  });

  it('names the field and what is valid for bad arguments', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { indicator: 'rsx', symbol: 'BTCUSDT', period: '5m' },
        /^indicator: unknown indicator "rsx"; valid names: sma/,
      ],
      [
        { indicator: 'rsi', symbol: 'BTCUSD', period: '5m' },
        /^symbol: unknown symbol on BINANCE "BTCUSD"; closest: BTCUSDT/,
      ],
      [
        { indicator: 'rsi', symbol: 'BTCUSDT', period: '2m' },
        /^period: "2m" is not a period; valid: 1m, 3m, 5m/,
      ],
      [
        { indicator: 'rsi', symbol: 'BTCUSDT', period: '1m', from: '2023-01-01', to: '2023-02-01' },
        /^from: .*the cap is 5000/,
      ],
      [
        { indicator: 'rsi', symbol: 'BTCUSDT', period: '5m', from: 'yesterday' },
        /^from: "yesterday" is not a time/,
      ],
      [{ indicator: 'rsi', params: { period: 0 }, symbol: 'BTCUSDT', period: '5m' }, /period/],
      [{ indicator: 'rsi' }, /^symbol: give symbol and period/],
      [{ indicator: 'rsi', series: 'series://nope' }, /^series: series:\/\/nope is unknown: /],
    ];
    for (const [args, expected] of cases) {
      const r = await callTool(client, 'compute_indicator', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(r)).toMatch(expected);
    }
  });
});
