import { afterEach, describe, expect, it } from 'vitest';
import { formatScannedDecimal, scanDecimal, scanDecimalBytes } from '../../../core/decimal/index.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import { createStoreReader, createStoreWriter, type TradeBytes, type TradeRow } from '../index.ts';
import { loadBinanceSpotAggTrades, loadBinanceSpotTrades } from '../testing/recorded-trades.ts';
import { tempStore } from '../testing/temp-store.ts';
import { TradeBuffer } from './trade-buffer.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A row's text fields laid out in one buffer, as a bus record holds them (with a prefix, so spans start past 0). */
function toBytes(r: TradeRow): TradeBytes {
  const texts = [r.tradeId, r.price, r.quantity, r.quoteQuantity, r.firstTradeId, r.lastTradeId];
  const parts = [Buffer.from('hdr'), ...texts.map((t) => Buffer.from(t ?? '', 'utf8'))];
  const spans: number[] = [];
  let at = 3;
  for (const p of parts.slice(1)) {
    spans.push(at, at + p.length);
    at += p.length;
  }
  const { venue, symbol, seq, timeUs, aggressor } = r;
  return {
    venue,
    symbol,
    seq,
    timeUs,
    aggressor,
    // What the writer derives for a row without a count (TradeBytes always carries one).
    tradeCount:
      r.tradeCount ??
      (r.firstTradeId && r.lastTradeId ? Number(r.lastTradeId) - Number(r.firstTradeId) + 1 : 1),
    bestMatch: r.bestMatch ?? false,
    bytes: Buffer.concat(parts),
    spans,
  };
}

/** The same trades written through appendTrades into one store and pushTradeBytes into another, read back. */
async function writeBothWays(rows: readonly TradeRow[], flushEvery = rows.length) {
  const out = [];
  for (const bytes of [false, true]) {
    const store = tempStore();
    cleanups.push(store.cleanup);
    const writer = await createStoreWriter({}, store.config);
    const reader = await createStoreReader({}, store.config);
    try {
      // Several flushes: the bytes path reuses a flushed group's arrays for the next rows.
      for (let i = 0; i < rows.length; i += flushEvery) {
        const part = rows.slice(i, i + flushEvery);
        if (bytes) for (const r of part) writer.pushTradeBytes(toBytes(r));
        else await writer.appendTrades(part);
        await writer.flush();
      }
      const { venue, symbol } = rows[0]!;
      out.push(await reader.getTrades({ venue, symbol, fromSeq: 1 }));
    } finally {
      await writer.close();
      reader.close();
    }
  }
  return out;
}

describe('trades as byte ranges', () => {
  it('scans decimals from bytes exactly as from strings, and rebuilds text from digits', () => {
    const out = { digits: 0, frac: 0 };
    for (const s of [
      '61837.63000000',
      '-0.5',
      '12',
      '0.001',
      '1e5',
      '.5',
      '1.',
      '',
      '0.1234567890123456789',
    ]) {
      const buf = Buffer.from(`x${s}y`);
      const r = scanDecimalBytes(buf, 1, 1 + s.length, out);
      expect(r, s).toBe(scanDecimal(s));
      if (r >= 0) expect(Number(formatScannedDecimal(out.digits, out.frac))).toBe(Number(s));
    }
    expect(formatScannedDecimal(6183763, 2)).toBe('61837.63');
    expect(formatScannedDecimal(1, 3)).toBe('0.001');
    expect(formatScannedDecimal(-5, 1)).toBe('-0.5');
  });

  it('stores real trades and aggTrades the same whichever way they are given', async () => {
    // The BTCUSDT trades cross midnight UTC: two partitions per flush for some flushes.
    for (const rows of [loadBinanceSpotTrades(), loadBinanceSpotAggTrades().slice(0, 3000)]) {
      const [viaRows, viaBytes] = await writeBothWays(rows, 4000);
      expect(viaBytes).toHaveLength(rows.length);
      expect(viaBytes).toEqual(viaRows);
    }
  });

  it('keeps non-numeric ids and decimals too wide for doubles exact', async () => {
    const base = loadBinanceSpotTrades().slice(0, 50);
    const rows = base.map((r, i) => ({
      ...r,
      // Ids not plain integers (a leading zero, letters), 18-digit quantities, an absent quote.
      tradeId: i % 7 === 0 ? `0${r.tradeId}` : i % 11 === 0 ? `x-${r.tradeId}` : r.tradeId,
      quantity: i % 5 === 0 ? '123456789.123456789' : r.quantity,
      quoteQuantity: i % 3 === 0 ? '' : '-0.000000000000000001',
    }));
    const [viaRows, viaBytes] = await writeBothWays(rows, 7);
    expect(viaBytes).toEqual(viaRows);
    expect(viaBytes![5]!.quantity).toBe('123456789.123456789');
    expect(viaBytes![7]!.tradeId).toBe(`0${base[7]!.tradeId}`);
  });

  it('refuses a bad trade alone, keeping nothing of it', () => {
    const buffer = new TradeBuffer();
    const [a, b, c] = loadBinanceSpotTrades().slice(0, 3) as [TradeRow, TradeRow, TradeRow];
    buffer.pushBytes(toBytes(a));
    expect(() => buffer.pushBytes(toBytes({ ...b, quantity: '1e-3' }))).toThrow(InvalidInputError);
    expect(() => buffer.pushBytes(toBytes({ ...b, tradeId: '' }))).toThrow(/tradeId/);
    // A bad trade of a new day opens no group.
    expect(() => buffer.pushBytes(toBytes({ ...b, timeUs: b.timeUs + 86_400_000_000, price: 'x' }))).toThrow(
      /price/,
    );
    buffer.pushBytes(toBytes(c));
    const groups = buffer.take();
    expect(groups).toHaveLength(1);
    const g = groups[0]!;
    expect([...g.seq.subarray(0, g.length)]).toEqual([a.seq, c.seq]);
    expect([g.price.length, g.quantity.length, g.quote.length]).toEqual([2, 2, 2]);
  });
});
