/**
 * The whole trade path on real BTCUSDT trades: a replay with every trade sent twice,
 * shuffled within 2 s windows, plus duplicates sent much later, gives bars identical
 * (every field, seqs included) to the clean run; a snapshot/restore mid-stream gives the
 * same emissions as an uninterrupted run.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/seeded-random.ts';
import { toBarMessage } from '../bars/index.ts';
import { loadBtcusdtTrades, type RecordedTrade } from '../testing/recorded-trades.ts';
import { createTradeFlow, type FlowTrade, type TradeFlow, type TradeFlowOptions } from './index.ts';

const S = 'BINANCE:BTCUSDT';
const OPTIONS: TradeFlowOptions = {
  sequencer: { reorderWindowUs: 2_000_000 },
  bars: { allowedLatenessUs: 1_000_000, graceUs: 5_000_000 },
  collectSequenced: true,
};
const END_US = Date.UTC(2030, 0, 1) * 1000;

const toFlow = (t: RecordedTrade): FlowTrade => ({
  tradeId: String(t.id),
  price: t.price,
  quantity: t.quantity,
  timeUs: t.timeUs,
  aggressor: t.aggressor,
  tradeCount: t.tradeCount,
});

/** Every trade twice, shuffled inside 2 s windows; every 50th trade again 30 s of trades later. */
function messUp(trades: FlowTrade[], seed: number): FlowTrade[] {
  const rand = seededRandom(seed);
  const windows = new Map<number, FlowTrade[]>();
  for (const t of trades) {
    const w = Math.floor(t.timeUs / 2_000_000);
    const list = windows.get(w) ?? [];
    list.push(t, { ...t });
    windows.set(w, list);
  }
  const out: FlowTrade[] = [];
  for (const list of windows.values()) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    out.push(...list);
  }
  const withLate: FlowTrade[] = [];
  out.forEach((t, i) => {
    withLate.push(t);
    if (i >= 2000 && i % 100 === 0) withLate.push({ ...out[i - 2000]! });
  });
  return withLate;
}

interface Run {
  emissions: string[];
  finals: string[];
  seqToId: Map<number, string>;
}

function run(flow: TradeFlow, trades: FlowTrade[], from = 0, to = trades.length, end = true): Run {
  const emissions: string[] = [];
  const finals: string[] = [];
  const seqToId = new Map<number, string>();
  const collect = () => {
    const out = flow.drain();
    for (const s of out.sequenced) seqToId.set(s.seq, s.trade.tradeId);
    for (const u of [...out.bars1m, ...out.derived]) {
      const text = JSON.stringify(toBarMessage(u.bar));
      emissions.push(text);
      if (u.bar.final) finals.push(text);
    }
  };
  for (let i = from; i < to; i++) {
    flow.push(S, trades[i]!);
    if (i % 200 === 199) collect();
  }
  if (end) {
    flow.flush();
    flow.advance(END_US);
  }
  collect();
  return { emissions, finals, seqToId };
}

describe('trade flow on real BTCUSDT trades', () => {
  const clean = loadBtcusdtTrades().map(toFlow);

  it('reordered + duplicated replay gives identical bars and seqs to the clean run', () => {
    const a = run(createTradeFlow(OPTIONS), clean);
    const messy = messUp(clean, 7);
    expect(messy.length).toBeGreaterThan(2 * clean.length);
    const flow = createTradeFlow(OPTIONS);
    const b = run(flow, messy);
    expect(b.finals).toEqual(a.finals);
    expect(b.seqToId).toEqual(a.seqToId);
    expect(a.seqToId.size).toBe(19_904);
    expect(a.seqToId.get(1)).toBe('3735683259');
    expect(a.seqToId.get(19_904)).toBe('3735703162');
    const stats = flow.stats();
    expect(stats.sequenced).toBe(19_904);
    expect(stats.duplicates + stats.expired).toBe(messy.length - 19_904);
    expect(stats.late).toBe(0);
    // 12 minutes of trades (23:54 … 00:05) → 12 final 1m bars.
    expect(a.finals.filter((f) => f.includes('"period":"1m"')).length).toBe(12);
  });

  it('snapshot/restore mid-stream gives the same emissions as an uninterrupted run', () => {
    const messy = messUp(clean, 11);
    const whole = run(createTradeFlow(OPTIONS), messy);
    for (const cut of [1000, 20_001, 33_333]) {
      const first = createTradeFlow(OPTIONS);
      const r1 = run(first, messy, 0, cut, false);
      expect(first.takeChanged()).toEqual([S]);
      const second = createTradeFlow(OPTIONS);
      second.restoreSeries(S, first.snapshotSeries(S)!);
      const r2 = run(second, messy, cut);
      expect([...r1.emissions, ...r2.emissions]).toEqual(whole.emissions);
    }
  });

  it('sends a trade for a final bar to the late output', () => {
    const flow = createTradeFlow(OPTIONS);
    run(flow, clean);
    const lateTrade = { ...clean[0]!, tradeId: '3735703163' };
    expect(flow.push(S, lateTrade)).toBe('new');
    flow.flush();
    const out = flow.drain();
    expect(out.late.map((l) => [l.seq, l.trade.tradeId])).toEqual([[19_905, '3735703163']]);
    expect(out.bars1m).toEqual([]);
  });

  it('rejects a bad price before touching any state', () => {
    const flow = createTradeFlow(OPTIONS);
    expect(() => flow.push(S, { ...clean[0]!, price: '6.1e4' })).toThrow(/plain decimal/);
    expect(flow.push(S, clean[0]!)).toBe('new');
  });
});
