import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { recordedData } from '../../../test/support/index.ts';
import { QuoteBook } from './quote-book.ts';

/** Last real BTCUSDT spot trade of the recording: [price, time ms]. */
function lastBtcTrade(): { price: string; timeMs: number } {
  const csv = gunzipSync(
    readFileSync(recordedData('trades', 'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz')),
  );
  const last = csv.toString('utf8').trim().split('\n').at(-1)?.split(',') ?? [];
  return { price: last[1] ?? '', timeMs: Number(last[4]) };
}

/** Real 24hrTicker events recorded by crypto-msg-parser, by symbol: [last price, event time ms]. */
function tickers(): Map<string, { price: string; timeMs: number }> {
  const out = new Map<string, { price: string; timeMs: number }>();
  for (const line of readFileSync(
    recordedData('ws-messages', 'binance-stream-samples-crypto-msg-parser.jsonl'),
    'utf8',
  ).split('\n')) {
    if (!line.trim()) continue;
    const { kind, market, message } = JSON.parse(line) as {
      kind: string;
      market: string;
      message: { data: unknown };
    };
    if (kind !== 'ticker' || market !== 'spot') continue;
    const events = (Array.isArray(message.data) ? message.data : [message.data]) as {
      s: string;
      c: string;
      E: number;
    }[];
    for (const e of events) out.set(e.s, { price: e.c, timeMs: e.E });
  }
  return out;
}

const market = (symbol: string, base: string, quote: string) => ({ venue: 'BINANCE', symbol, base, quote });

describe('QuoteBook', () => {
  const btc = lastBtcTrade();
  const t = tickers();
  const ethusdt = t.get('ETHUSDT');
  const ethbtc = t.get('ETHBTC');

  it('reads the recorded prices it is tested with', () => {
    expect(btc.price).toMatch(/^\d+\.\d+$/);
    expect(ethusdt?.price).toMatch(/^\d+\.\d+$/);
    expect(ethbtc?.price).toMatch(/^0\.\d+$/);
  });

  function book(withEthBtc: boolean): QuoteBook {
    const b = new QuoteBook();
    b.updateTrade(market('BTCUSDT', 'BTC', 'USDT'), btc.price, btc.timeMs * 1000);
    if (ethusdt) b.updateTrade(market('ETHUSDT', 'ETH', 'USDT'), ethusdt.price, ethusdt.timeMs * 1000);
    if (withEthBtc && ethbtc)
      b.updateTrade(market('ETHBTC', 'ETH', 'BTC'), ethbtc.price, ethbtc.timeMs * 1000);
    return b;
  }

  it('gives a direct pair exactly as the venue printed it, with its time', () => {
    const q = book(false).quote('btc', 'usdt');
    expect(q?.route).toEqual(['BTCUSDT']);
    expect(q?.price).toBe(btc.price.replace(/\.?0+$/, ''));
    expect(q?.asOfUs).toBe(btc.timeMs * 1000);
  });

  it('inverts a pair: USDT in BTC is 1 / BTCUSDT to 12 significant digits', () => {
    const q = book(false).quote('USDT', 'BTC');
    expect(q?.route).toEqual(['BTCUSDT']);
    const expected = 1 / Number(btc.price);
    expect(Math.abs(Number(q?.price) - expected) / expected).toBeLessThan(1e-11);
  });

  it('crosses through a bridge asset and reports the oldest input time', () => {
    const q = book(false).quote('BTC', 'ETH');
    expect(q?.route).toEqual(['BTCUSDT', 'ETHUSDT']);
    const expected = Number(btc.price) / Number(ethusdt?.price);
    expect(Math.abs(Number(q?.price) - expected) / expected).toBeLessThan(1e-11);
    expect(q?.asOfUs).toBe(Math.min(btc.timeMs, ethusdt?.timeMs ?? 0) * 1000);
  });

  it('keeps a direct pair on a tie and takes a fresher cross over a stale direct pair', () => {
    const b = new QuoteBook();
    const ethBtcUs = (ethbtc?.timeMs ?? 0) * 1000;
    b.updateTrade(market('ETHBTC', 'ETH', 'BTC'), ethbtc?.price ?? '', ethBtcUs);
    b.updateTrade(market('BTCUSDT', 'BTC', 'USDT'), btc.price, btc.timeMs * 1000);
    b.updateTrade(market('ETHUSDT', 'ETH', 'USDT'), ethusdt?.price ?? '', ethBtcUs);
    // The cross's oldest leg is as old as ETHBTC: the direct pair wins the tie.
    expect(b.quote('ETH', 'BTC')?.route).toEqual(['ETHBTC']);
    // ETHUSDT trades again now (same real price, newer time): the cross becomes fresher.
    b.updateTrade(market('ETHUSDT', 'ETH', 'USDT'), ethusdt?.price ?? '', btc.timeMs * 1000);
    const q = b.quote('ETH', 'BTC');
    expect(q?.route).toEqual(['ETHUSDT', 'BTCUSDT']);
    expect(q?.asOfUs).toBe(btc.timeMs * 1000);
  });

  it('answers undefined when no route joins two assets, and ignores stale updates', () => {
    const b = book(false);
    expect(b.quote('BTC', 'EUR')).toBeUndefined();
    b.updateTrade(market('BTCUSDT', 'BTC', 'USDT'), '1.00', btc.timeMs * 1000 - 1);
    expect(b.quote('BTC', 'USDT')?.price).toBe(btc.price.replace(/\.?0+$/, ''));
  });

  it('reports bid and ask for a direct pair with a book', () => {
    const b = book(false);
    b.updateBook(market('BTCUSDT', 'BTC', 'USDT'), '61000.01', '61000.02', btc.timeMs * 1000);
    expect(b.quote('BTC', 'USDT')).toMatchObject({ bid: '61000.01', ask: '61000.02' });
  });
});
