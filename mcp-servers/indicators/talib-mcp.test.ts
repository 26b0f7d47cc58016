/**
 * compute_indicator through MCP equals the TA-Lib reference file column by column (1e-9
 * relative), over the first 5,000 5m periods of stored BTCUSDT bars (the same candles TA-Lib was run on).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedData } from '../../test/support/index.ts';
import { fixedContext } from '../common/index.ts';
import type { McpServices } from '../services.ts';
import { callTool, linkClient, textOf } from '../testing/link-client.ts';
import { openTestServices } from '../testing/services.ts';
import { createIndicatorsServer } from './index.ts';

const ctx = { userId: 'talib', workspaceId: 'w', channel: 'test', licence: 'pro' };
/** 5,000 periods of 5m from the first bar (the tool's cap); the recording has gaps, so fewer bars. */
const TO = '2023-01-20T01:25:00Z';
const TO_MS = Date.parse(TO);

/**
 * indicator, params, our column -> reference column. Not stddev_20 and mfi_14: the file's
 * TA-Lib (0.6.0-dev) computed those the old, less accurate way; the current release is
 * checked in indicators/reference/talib-heldout.test.ts.
 */
const CASES: [string, Record<string, number>, Record<string, string>][] = [
  ['sma', { period: 20 }, { sma: 'sma_20' }],
  ['ema', { period: 12 }, { ema: 'ema_12' }],
  ['wma', { period: 20 }, { wma: 'wma_20' }],
  ['dema', { period: 20 }, { dema: 'dema_20' }],
  ['tema', { period: 20 }, { tema: 'tema_20' }],
  ['trima', { period: 20 }, { trima: 'trima_20' }],
  ['kama', { period: 30 }, { kama: 'kama_30' }],
  ['rsi', {}, { rsi: 'rsi_14' }],
  ['macd', {}, { macd: 'macd_12_26_9', signal: 'macd_signal_12_26_9', hist: 'macd_hist_12_26_9' }],
  ['bbands', {}, { upper: 'bb_upper_20_2', middle: 'bb_middle_20_2', lower: 'bb_lower_20_2' }],
  ['trange', {}, { trange: 'trange' }],
  ['atr', {}, { atr: 'atr_14' }],
  ['natr', {}, { natr: 'natr_14' }],
  ['dmi', {}, { adx: 'adx_14', plus_di: 'plus_di_14', minus_di: 'minus_di_14' }],
  ['cci', {}, { cci: 'cci_20' }],
  ['willr', {}, { willr: 'willr_14' }],
  ['stoch', {}, { slowk: 'stoch_k_14_3_3', slowd: 'stoch_d_14_3_3' }],
  ['aroon', {}, { down: 'aroon_down_14', up: 'aroon_up_14' }],
  ['sar', {}, { sar: 'sar_0.02_0.2' }],
  ['ultosc', {}, { ultosc: 'ultosc_7_14_28' }],
  ['obv', {}, { obv: 'obv' }],
  ['ad', {}, { ad: 'ad' }],
  ['adosc', {}, { adosc: 'adosc_3_10' }],
  ['roc', {}, { roc: 'roc_10' }],
  ['mom', {}, { mom: 'mom_10' }],
];

function reference(): Map<string, number[]> {
  const text = gunzipSync(
    readFileSync(recordedData('indicators', 'talib-BTC_USDT-5m-20230102-20230209.csv.gz')),
  ).toString('utf8');
  const [header = '', ...lines] = text.split('\n').filter((l) => l !== '');
  const names = header.split(',');
  const cols = new Map(names.map((n) => [n, [] as number[]]));
  for (const line of lines) {
    if (Number(line.slice(0, line.indexOf(','))) >= TO_MS) break;
    const cells = line.split(',');
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i]!;
      cols.get(names[i]!)!.push(v === '' ? Number.NaN : Number(v));
    }
  }
  return cols;
}

describe('compute_indicator equals TA-Lib through MCP', () => {
  let services: McpServices;
  let client: Client;
  let done: () => Promise<void>;
  let cleanup: () => void;
  beforeAll(async () => {
    const t = await openTestServices();
    services = t.services;
    cleanup = t.cleanup;
    const linked = await linkClient(
      createIndicatorsServer({
        market: services.market,
        series: services.series,
        resolveContext: fixedContext(ctx),
      }).server,
    );
    client = linked.client;
    done = linked.close;
  }, 60_000);
  afterAll(async () => {
    await done();
    cleanup();
  });

  it('matches every reference column to 1e-9 relative', async () => {
    const ref = reference();
    const BARS = ref.get('open_time_ms')!.length;
    expect(BARS).toBeGreaterThan(4900);
    let compared = 0;
    for (const [indicator, params, map] of CASES) {
      const r = await callTool(client, 'compute_indicator', {
        indicator,
        params,
        symbol: 'BTCUSDT',
        period: '5m',
        from: '2023-01-02T16:45:00Z',
        to: TO,
        rows: 0,
      });
      const text = textOf(r);
      expect(r.isError, text).toBeFalsy();
      // All rows live behind the reference (what get_series pages and the sandbox loads).
      const uri = /series:\/\/[\w-]+/.exec(text)![0];
      const { table } = await services.series.get(ctx.userId, uri);
      expect(table.rows).toHaveLength(BARS);
      expect(table.rows[0]![0]).toBe('2023-01-02T16:45:00Z');
      for (const [ours, theirs] of Object.entries(map)) {
        const k = table.columns.indexOf(ours);
        const expected = ref.get(theirs)!;
        for (let i = 0; i < BARS; i++) {
          const cell = table.rows[i]![k]!;
          const got = cell === '' ? Number.NaN : Number(cell);
          const want = expected[i]!;
          if (Number.isNaN(want) || Number.isNaN(got)) {
            expect(Number.isNaN(got), `${indicator}.${ours}[${i}] = ${got}, TA-Lib ${want}`).toBe(
              Number.isNaN(want),
            );
            continue;
          }
          const tol = 1e-9 * Math.max(Math.abs(want), Math.abs(got)) + 1e-12;
          if (Math.abs(got - want) > tol) expect(got, `${indicator}.${ours}[${i}]`).toBe(want);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(150_000);
  }, 120_000);
});
