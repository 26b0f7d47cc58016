import { describe, expect, it } from 'vitest';
import {
  type BarBuilderOptions,
  createBarBuilder,
  SIDE_BUY,
  SIDE_SELL,
  toBarMessage,
  toBarTrade,
} from './index.ts';

const S = 'BINANCE:BTCUSDT';
const MIN = 60_000_000;
const T0 = 28_719_360 * MIN; // 2024-08-09T00:00Z
const opts: BarBuilderOptions = { allowedLatenessUs: 1_000_000, graceUs: 5_000_000 };

function trade(seq: number, atUs: number, price: string, qty: string, side = SIDE_BUY, count = 1) {
  return toBarTrade(seq, atUs, price, qty, side, count);
}

describe('bar builder: bar content', () => {
  it('builds every Bar field from trades in the minute', () => {
    const b = createBarBuilder(opts);
    b.add(S, trade(1, T0 + 1, '100.5', '2', SIDE_BUY));
    b.add(S, trade(2, T0 + 2, '101', '1', SIDE_SELL, 3));
    b.add(S, trade(3, T0 + 3, '99.25', '0.5', SIDE_BUY));
    b.add(S, trade(4, T0 + 4, '100', '1', 0));
    const [u] = b.drain();
    expect(toBarMessage(u!.bar)).toEqual({
      period: '1m',
      openTimeUs: T0,
      closeTimeUs: T0 + MIN,
      open: '100.5',
      high: '101',
      low: '99.25',
      close: '100',
      volume: '4.5',
      takerBuyVolume: '2.5',
      makerVolume: '1',
      tradeCount: 6,
      quoteVolume: '451.625',
      takerBuyQuoteVolume: '250.625',
      revision: 0,
      final: false,
      firstSeq: 1,
      lastSeq: 4,
    });
  });

  it('orders open/close by (trade time, seq), not by arrival', () => {
    const b = createBarBuilder(opts);
    b.add(S, trade(3, T0 + 30, '3', '1'));
    b.add(S, trade(1, T0 + 10, '1', '1'));
    b.add(S, trade(4, T0 + 30, '4', '1'));
    b.add(S, trade(2, T0 + 10, '2', '1'));
    const bar = toBarMessage(b.drain()[0]!.bar);
    expect([bar.open, bar.close, bar.firstSeq, bar.lastSeq]).toEqual(['1', '4', 1, 4]);
  });

  it('emits no bar for a minute without trades (gap policy)', () => {
    const b = createBarBuilder({ ...opts, emitForming: false });
    b.add(S, trade(1, T0 + 5, '1', '1'));
    b.add(S, trade(2, T0 + 2 * MIN + 5, '2', '1'));
    b.advance(T0 + 10 * MIN);
    expect(b.drain().map((u) => u.bar.openTimeUs)).toEqual([T0, T0 + 2 * MIN]);
  });
});

describe('bar builder: watermark, grace, revisions, late trades', () => {
  it('a bar is final only once the watermark passes close + grace, and is emitted final once', () => {
    const b = createBarBuilder(opts);
    b.add(S, trade(1, T0 + 10, '1', '1'));
    b.drain();
    b.add(S, trade(2, T0 + MIN + 5_900_000, '2', '1')); // watermark = close + 4.9 s
    expect(b.drain().map((u) => [u.bar.openTimeUs, u.bar.final])).toEqual([[T0 + MIN, false]]);
    b.add(S, trade(3, T0 + MIN + 6_000_000, '2', '1')); // watermark = close + 5 s
    const out = b.drain().map((u) => [u.bar.openTimeUs, u.bar.final]);
    expect(out).toEqual([
      [T0, true],
      [T0 + MIN, false],
    ]);
    expect(b.stats()).toMatchObject({ finals: 1, openBars: 1 });
  });

  it('a late trade inside grace revises an emitted closed bar; after grace it is late', () => {
    const b = createBarBuilder(opts);
    b.add(S, trade(1, T0 + 10, '10', '1'));
    b.add(S, trade(2, T0 + MIN + 2_000_000, '11', '1')); // watermark closes T0 (close + 1 s)
    b.drain();
    expect(b.add(S, trade(3, T0 + 20, '9', '1'))).toBe('revised');
    expect(b.add(S, trade(4, T0 + 30, '8', '1'))).toBe('added'); // same emission: one revision
    const revised = b.drain().find((u) => u.bar.openTimeUs === T0)!.bar;
    expect([revised.revision, revised.final, revised.low, revised.tradeCount]).toEqual([
      1,
      false,
      8n * 10n ** 18n,
      3,
    ]);
    b.add(S, trade(5, T0 + MIN + 7_000_000, '11', '1')); // watermark = close(T0) + 6 s: final
    const fin = b.drain().find((u) => u.bar.openTimeUs === T0)!.bar;
    expect([fin.revision, fin.final]).toEqual([1, true]);
    expect(b.add(S, trade(6, T0 + 40, '1', '1'))).toBe('late');
    expect(b.drain()).toEqual([]);
    expect(b.stats()).toMatchObject({ late: 1, revisions: 1 });
  });

  it('a clock tick closes a quiet minute without new trades', () => {
    const b = createBarBuilder(opts);
    b.add(S, trade(1, T0 + 10, '1', '1'));
    b.drain();
    b.advance(T0 + MIN + 5_999_999);
    expect(b.drain()).toEqual([]);
    b.advance(T0 + MIN + 6_000_000);
    const [u] = b.drain();
    expect([u!.series, u!.bar.final]).toEqual([S, true]);
  });

  it('restores mid-stream to the same emissions', () => {
    const script = (b: ReturnType<typeof createBarBuilder>, from: number, to: number) => {
      const out: string[] = [];
      const steps = [
        () => b.add(S, trade(1, T0 + 10, '10', '1')),
        () => b.add(S, trade(2, T0 + MIN + 2_000_000, '11', '2', SIDE_SELL)),
        () => b.add(S, trade(3, T0 + 20, '9', '1')),
        () => b.add(S, trade(4, T0 + MIN + 9_000_000, '12', '1')),
        () => b.advance(T0 + 3 * MIN),
      ];
      for (let i = from; i < to; i++) {
        steps[i]!();
        for (const u of b.drain()) out.push(JSON.stringify(toBarMessage(u.bar)));
      }
      return out;
    };
    const whole = script(createBarBuilder(opts), 0, 5);
    const a = createBarBuilder(opts);
    const first = script(a, 0, 2);
    const b = createBarBuilder(opts);
    b.restoreSeries(S, a.snapshotSeries(S)!);
    expect([...first, ...script(b, 2, 5)]).toEqual(whole);
    expect(whole.length).toBe(6);
  });
});
