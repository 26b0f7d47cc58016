/**
 * Real recorded Binance trades and freqtrade candles from ../shared/data (see its PROVENANCE.md),
 * read in place, never copied into the repository: the trades as the processors see them after
 * normalization. Used by tests of every layer (proto up), so it depends on proto only.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Side } from '../../proto/index.ts';
import { recordedData } from './recorded-data.ts';

/** One venue trade as the processors see it after normalization. */
export interface RecordedTrade {
  /** Venue trade id (aggTradeId for aggTrades). */
  readonly id: number;
  readonly price: string;
  readonly quantity: string;
  /** price × quantity as given in the file ('' when absent). */
  readonly quoteQuantity: string;
  readonly timeUs: number;
  /** proto Side: buyer maker (m = true) → Side.SIDE_SELL. */
  readonly aggressor: number;
  readonly tradeCount: number;
}

function lines(file: string): string[] {
  const buf = readFileSync(recordedData(file));
  const text = file.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return text.split('\n').filter((l) => l.length > 0);
}

/** The 19,904 BTCUSDT spot trades of 2024-08-08 23:54Z … 2024-08-09 00:05Z, in id order. */
export function loadBtcusdtTrades(): RecordedTrade[] {
  return lines('trades/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz').map((l) => {
    const [id, price, qty, quote, time, buyerMaker] = l.split(',');
    return {
      id: Number(id),
      price: price!,
      quantity: qty!,
      quoteQuantity: quote!,
      timeUs: Number(time) * 1000,
      aggressor: buyerMaker === 'True' ? Side.SIDE_SELL : Side.SIDE_BUY,
      tradeCount: 1,
    };
  });
}

/** The 5,929 XRPETH aggTrades of 2019-10-11 (6,922 executions), in id order. */
export function loadXrpethAggTrades(): RecordedTrade[] {
  return lines('trades/binance-spot-XRPETH-aggTrades-2019-10-11.csv').map((l) => {
    const [id, price, qty, first, last, time, buyerMaker] = l.split(',');
    return {
      id: Number(id),
      price: price!,
      quantity: qty!,
      quoteQuantity: '',
      timeUs: Number(time) * 1000,
      aggressor: buyerMaker === 'True' ? Side.SIDE_SELL : Side.SIDE_BUY,
      tradeCount: Number(last) - Number(first) + 1,
    };
  });
}

/** A freqtrade candle row: open time in ms and the printed float strings. */
export interface ReferenceCandle {
  readonly openTimeMs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/** freqtrade's XRP/ETH candles built from the same aggTrades (empty buckets omitted). */
export function loadFreqtradeXrpethCandles(period: '1m' | '5m'): ReferenceCandle[] {
  const rows = lines(`candles/freqtrade-XRP_ETH-${period}-from-trades-2019-10-11.csv`);
  if (rows[0] !== 'open_time_ms,open,high,low,close,volume') throw new Error(`unexpected header ${rows[0]}`);
  return rows.slice(1).map((l) => {
    const [t, open, high, low, close, volume] = l.split(',');
    return { openTimeMs: Number(t), open: open!, high: high!, low: low!, close: close!, volume: volume! };
  });
}
