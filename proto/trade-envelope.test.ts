import { describe, expect, it } from 'vitest';
import { loadBtcusdtTrades } from '../test/support/index.ts';
import { EnvelopeCodec, type EnvelopeInit, EventType, TradeCodec, type TradeInit } from './index.ts';
import {
  createTradeEnvelopeReader,
  MalformedEnvelopeError,
  readTradeEnvelope,
  type TradeFields,
} from './trade-envelope.ts';

/** A trade's fields as a plain object (the reader's text fields are getters, decoded on use). */
function tradeFields(t: Omit<TradeFields, 'spans'>) {
  return {
    tradeId: t.tradeId,
    price: t.price,
    quantity: t.quantity,
    quoteQuantity: t.quoteQuantity,
    aggressor: t.aggressor,
    timeUs: t.timeUs,
    firstTradeId: t.firstTradeId,
    lastTradeId: t.lastTradeId,
    tradeCount: t.tradeCount,
    bestMatch: t.bestMatch,
  };
}

/** What the generated codec reads from `bytes`, in the shape of the one-pass reader. */
function generated(bytes: Uint8Array) {
  const e = EnvelopeCodec.decode(bytes);
  return {
    eventType: e.eventType,
    venue: e.venue,
    symbol: e.symbol,
    stream: e.stream,
    observedAtUs: e.observedAtUs,
    ingestedAtUs: e.ingestedAtUs,
    seq: e.seq,
    trade: tradeFields(TradeCodec.decode(e.payload)),
  };
}

/** The reader's answer as a plain object. */
function read(bytes: Uint8Array) {
  const e = readTradeEnvelope(bytes);
  return { ...e, trade: tradeFields(e.trade) };
}

function envelope(env: EnvelopeInit, trade: TradeInit): Uint8Array {
  return EnvelopeCodec.encode({ ...env, payload: TradeCodec.encode(trade) });
}

describe('readTradeEnvelope', () => {
  it('reads every recorded BTCUSDT trade as the generated codec does', () => {
    const trades = loadBtcusdtTrades();
    let seq = 0;
    for (const t of trades) {
      seq++;
      const bytes = envelope(
        {
          eventId: `BINANCE:BTCUSDT:trade:${t.id}`,
          eventType: seq % 3 === 0 ? EventType.aggTrade : EventType.trade,
          venue: 'BINANCE',
          symbol: seq % 2 === 0 ? 'BTCUSDT' : 'ETHUSDT',
          stream: 'btcusdt@trade',
          observedAtUs: t.timeUs + 1000,
          ingestedAtUs: t.timeUs + 2000,
          schemaVersion: 1,
          seq,
        },
        {
          tradeId: String(t.id),
          price: t.price,
          quantity: t.quantity,
          quoteQuantity: seq % 5 === 0 ? '' : '12.5',
          aggressor: t.aggressor,
          timeUs: t.timeUs,
          firstTradeId: seq % 3 === 0 ? String(t.id - 1) : '',
          lastTradeId: seq % 3 === 0 ? String(t.id) : '',
          tradeCount: seq % 3 === 0 ? 2 : 0,
          bestMatch: seq % 7 !== 0,
        },
      );
      expect(read(bytes)).toEqual(generated(bytes));
      // The same bytes as a plain Uint8Array (the embedded bus hands those on).
      expect(read(new Uint8Array(bytes))).toEqual(generated(bytes));
    }
  });

  it('agrees on defaults, negative and 64-bit numbers, non-ASCII text, repeated and unknown fields', () => {
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      envelope({ eventType: EventType.tick, observedAtUs: 1_700_000_000_000_000 }, {}),
      envelope(
        { eventType: 'trade', observedAtUs: -5, seq: 2 ** 53 - 1 },
        { timeUs: -1_000_000, aggressor: 2 },
      ),
      envelope({ venue: 'BÖRSE', symbol: 'ÄÖÜ/€' }, { price: '1.5', tradeId: 'ïd' }),
    ];
    // A later occurrence of a scalar field wins; unknown fields (varint, 64-bit, bytes, 32-bit) are skipped.
    const base = envelope({ eventType: 'trade', venue: 'BINANCE', seq: 1 }, { price: '1' });
    cases.push(Buffer.concat([base, Buffer.from([0x58, 0x07])]));
    cases.push(Buffer.concat([base, Buffer.from([0x1a, 0x02, 0x58, 0x59])]));
    cases.push(
      Buffer.concat([
        base,
        Buffer.from([
          0xa0, 0x06, 0x01, 0x89, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0x92, 0x06, 0x01, 0x00, 0x9d, 0x06, 1, 2, 3,
          4,
        ]),
      ]),
    );
    for (const bytes of cases) expect(read(bytes)).toEqual(generated(bytes));
  });

  it('a reader filling one object gives every record its own values, none left from the one before', () => {
    const reader = createTradeEnvelopeReader();
    const trades = loadBtcusdtTrades().slice(0, 3000);
    let first: unknown;
    trades.forEach((t, i) => {
      // Records alternate between every field set and most fields absent (proto3 defaults).
      const full = i % 2 === 0;
      const bytes = envelope(
        full
          ? { eventType: EventType.aggTrade, venue: 'BINANCE', symbol: 'BTCUSDT', stream: 's', seq: i + 1 }
          : { eventType: EventType.trade, venue: 'BINANCE_USDM', symbol: 'ETHUSDT' },
        full
          ? {
              tradeId: String(t.id),
              price: t.price,
              quantity: t.quantity,
              quoteQuantity: '1.5',
              aggressor: t.aggressor,
              timeUs: t.timeUs,
              firstTradeId: String(t.id - 2),
              lastTradeId: String(t.id),
              tradeCount: 3,
              bestMatch: true,
            }
          : { tradeId: String(t.id), price: t.price },
      );
      const e = reader.read(bytes);
      first ??= e;
      expect(e).toBe(first);
      const want = generated(bytes);
      const spans = e.trade.spans;
      expect({ ...e, trade: tradeFields(e.trade) }).toEqual(want);
      // Spans locate each text field in the bytes; an absent one is [0, 0], never the last record's.
      const texts = [
        want.trade.tradeId,
        want.trade.price,
        want.trade.quantity,
        want.trade.quoteQuantity,
        want.trade.firstTradeId,
        want.trade.lastTradeId,
      ];
      texts.forEach((text, slot) => {
        const [start, end] = [spans[slot * 2]!, spans[slot * 2 + 1]!];
        if (text === '') expect([start, end]).toEqual([0, 0]);
        else expect(Buffer.from(bytes.subarray(start, end)).toString('utf8')).toBe(text);
      });
    });
  });

  it('decodes a text field once, on first use', () => {
    const bytes = envelope({ eventType: 'trade' }, { price: '61837.63', quantity: '0.5' });
    const t = readTradeEnvelope(bytes).trade;
    const first = t.price;
    expect(first).toBe('61837.63');
    expect(t.price).toBe(first);
    expect(t.tradeId).toBe('');
  });

  it('refuses truncated and malformed bytes, saying where', () => {
    const bytes = envelope({ eventType: 'trade', venue: 'BINANCE' }, { price: '61837.63' });
    // Stricter than the generated codec, which reads a string cut short as the bytes that are
    // there: a record cut anywhere before its end is refused; the whole record is read.
    for (let cut = 1; cut < bytes.length; cut++) {
      const part = bytes.subarray(0, cut);
      let ours: unknown;
      try {
        ours = read(part);
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedEnvelopeError);
        continue;
      }
      // Accepted only where the cut falls between whole fields: then both read the same.
      expect(ours).toEqual(generated(part));
    }
    expect(read(bytes)).toEqual(generated(bytes));
    expect(() => readTradeEnvelope(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(
      /runs past the end at byte 3/,
    );
    expect(() => readTradeEnvelope(new Uint8Array([0x0b]))).toThrow(/wire type 3/);
  });
});
