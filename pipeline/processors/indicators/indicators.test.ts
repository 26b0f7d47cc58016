import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../core/decimal/index.ts';
import { recordedData } from '../../../test/support/index.ts';
import type { BarState } from '../bars/bar-state.ts';
import { buildBars, toBarTrade } from '../bars/index.ts';
import { loadBtcusdtTrades } from '../testing/recorded-trades.ts';
import { createIndicatorEngine, createIndicatorRegistry, type StreamingIndicator } from './index.ts';

const S = 'BINANCE:BTCUSDT';
const bar = (openTimeUs: number, close: string, final = true): BarState => {
  const c = parseDecimal(close);
  return {
    period: '1m',
    openTimeUs,
    closeTimeUs: openTimeUs + 60_000_000,
    open: c,
    high: c,
    low: c,
    close: c,
    volume: 0n,
    takerBuyVolume: 0n,
    makerVolume: 0n,
    quoteVolume: 0n,
    takerBuyQuoteVolume: 0n,
    tradeCount: 1,
    firstSeq: 0,
    lastSeq: 0,
    openKeyTime: openTimeUs,
    openKeySeq: 0,
    closeKeyTime: openTimeUs,
    closeKeySeq: 0,
    revision: 0,
    final,
  };
};

describe('indicator engine', () => {
  it('emits MA(5) only once seeded with 5 final closes, exact', () => {
    const e = createIndicatorEngine({ indicators: [{ kind: 'sma', period: 5 }] });
    const closes = ['1', '2', '3', '4', '5.5', '6', '0.1'];
    const out = closes.flatMap((c, i) => e.onBar(S, bar(i * 60_000_000, c)));
    expect(out.map((v) => [v.name, v.value])).toEqual([
      ['ma5', '3.1'],
      ['ma5', '4.1'],
      ['ma5', '3.72'],
    ]);
  });

  it('ignores forming bars and redelivered finals', () => {
    const e = createIndicatorEngine({ indicators: [{ kind: 'sma', period: 1 }] });
    expect(e.onBar(S, bar(0, '1', false))).toEqual([]);
    expect(e.onBar(S, bar(0, '1')).length).toBe(1);
    expect(e.onBar(S, bar(0, '1'))).toEqual([]);
  });

  it('MA(20) on real 5m closes matches TA-Lib SMA(20) (float64 within 1e-12 relative)', () => {
    const rows = gunzipSync(
      readFileSync(recordedData('indicators', 'talib-BTC_USDT-5m-20230102-20230209.csv.gz')),
    )
      .toString('utf8')
      .trim()
      .split('\n');
    const header = rows[0]!.split(',');
    const col = header.indexOf('sma_20');
    const e = createIndicatorEngine({ indicators: [{ kind: 'sma', period: 20 }] });
    let compared = 0;
    for (const line of rows.slice(1)) {
      const cells = line.split(',');
      const out = e.onBar(S, bar(Number(cells[0]) * 1000, cells[4]!));
      const ref = cells[col]!;
      if (ref === '') expect(out).toEqual([]);
      else {
        const ours = Number(out[0]!.value);
        expect(Math.abs(ours - Number(ref)) / Number(ref)).toBeLessThan(1e-12);
        compared++;
      }
    }
    expect(compared).toBe(10_999 - 19);
  });

  it('restores mid-stream to the same values', () => {
    const trades = loadBtcusdtTrades().map((t, i) =>
      toBarTrade(i + 1, t.timeUs, t.price, t.quantity, t.aggressor),
    );
    const bars = buildBars(trades, '1m');
    const run = (e: ReturnType<typeof createIndicatorEngine>, from: number, to: number) =>
      bars.slice(from, to).flatMap((b) => e.onBar(S, b).map((v) => `${v.name}@${v.openTimeUs}=${v.value}`));
    const opts = {
      indicators: [
        { kind: 'sma', period: 5 },
        { kind: 'sma', period: 3 },
      ],
    };
    const whole = run(createIndicatorEngine(opts), 0, bars.length);
    const a = createIndicatorEngine(opts);
    const first = run(a, 0, 4);
    const b = createIndicatorEngine(opts);
    b.restoreSeries(S, a.snapshotSeries(S)!);
    expect([...first, ...run(b, 4, bars.length)]).toEqual(whole);
    expect(whole.length).toBe(8 + 10);
  });

  it('takes plug-ins from a registry and rejects unknown kinds when built', () => {
    const registry = createIndicatorRegistry();
    registry.set(
      'last',
      (): StreamingIndicator => ({
        name: 'last',
        seed: 1,
        update: (b) => b.close,
        write: () => {},
        read: () => {},
      }),
    );
    const e = createIndicatorEngine({ indicators: [{ kind: 'last', period: 1 }], registry });
    expect(e.onBar(S, bar(0, '42.50'))[0]!.value).toBe('42.5');
    expect(() => createIndicatorEngine({ indicators: [{ kind: 'ema', period: 3 }] })).toThrow(/known: sma/);
    expect(() => createIndicatorEngine({ indicators: [{ kind: 'sma', period: 0 }] })).toThrow(/sma period/);
  });
});
