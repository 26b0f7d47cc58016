/**
 * Test fixture: a store filled from the real recorded data in `../shared/data` through the store
 * writer's public API.
 *
 * - BINANCE:BTCUSDT: 5m klines 2023-01-02..2023-02-09 (freqtrade, 11,000 bars), and the spot
 *   trades of 2024-08-08 23:54..2024-08-09 00:05 with their 1m bars (built by the store from them).
 * - BINANCE:XRPETH: aggregate trades of 2019-10-11 and their 1m bars.
 * - Both in the symbol registry.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type BarRow,
  createStoreReader,
  createStoreWriter,
  parseStoreConfig,
  type TradeRow,
} from '../../pipeline/store/index.ts';
import { recordedData } from '../../test/support/index.ts';

function lines(rel: string): string[] {
  const raw = readFileSync(recordedData(rel));
  return (rel.endsWith('.gz') ? gunzipSync(raw) : raw)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** The recorded BTCUSDT 5m klines as bar rows. */
export function btcFiveMinuteBars(): BarRow[] {
  return lines('candles/freqtrade-BTC_USDT-5m-20230102-20230209.csv')
    .slice(1)
    .map((line) => {
      const [t = '', open = '', high = '', low = '', close = '', volume = ''] = line.split(',');
      return {
        venue: 'BINANCE',
        symbol: 'BTCUSDT',
        period: '5m',
        openTimeUs: Number(t) * 1000,
        open,
        high,
        low,
        close,
        volume,
        final: true,
      };
    });
}

/** Recorded spot trades (`trades` CSV) as trade rows with seq 1..n. */
export function btcTrades(): TradeRow[] {
  return lines('trades/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz').map((line, i) => {
    const [id = '', price = '', qty = '', quote = '', time = '', buyerMaker] = line.split(',');
    return {
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      seq: i + 1,
      timeUs: Number(time) * 1000,
      tradeId: id,
      price,
      quantity: qty,
      quoteQuantity: quote,
      aggressor: buyerMaker === 'True' ? 2 : 1,
    };
  });
}

/** Recorded XRPETH aggregate trades as trade rows with seq 1..n. */
export function xrpethTrades(): TradeRow[] {
  return lines('trades/binance-spot-XRPETH-aggTrades-2019-10-11.csv').map((line, i) => {
    const [id = '', price = '', qty = '', first = '', last = '', time = '', buyerMaker] = line.split(',');
    return {
      venue: 'BINANCE',
      symbol: 'XRPETH',
      seq: i + 1,
      timeUs: Number(time) * 1000,
      tradeId: id,
      price,
      quantity: qty,
      aggressor: buyerMaker === 'True' ? 2 : 1,
      firstTradeId: first,
      lastTradeId: last,
    };
  });
}

/** The supported periods the fixture's symbol records list (data, not the catalogue). */
const FIXTURE_PERIODS = ['1m', '5m', '15m', '1h', '4h', '1d'];

/** Writes the fixture into `dataDir`. */
export async function fillStore(dataDir: string): Promise<void> {
  const config = parseStoreConfig({ dataDir, flush: { intervalMs: 0 }, duckdb: { threads: 1 } });
  const writer = await createStoreWriter({}, config);
  await writer.upsertSymbols([
    {
      exchangeId: 'BINANCE',
      marketId: 'BTC/USDT',
      venueSymbol: 'BTCUSDT',
      marketType: 1,
      description: 'Bitcoin / TetherUS spot',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      earliestTimeUs: 1_672_677_900_000_000,
      tickSize: '0.01',
      lotSize: '0.00001',
      supportedPeriods: FIXTURE_PERIODS,
      status: 'TRADING',
    },
    {
      exchangeId: 'BINANCE',
      marketId: 'XRP/ETH',
      venueSymbol: 'XRPETH',
      marketType: 1,
      description: 'Ripple / Ethereum spot',
      baseAsset: 'XRP',
      quoteAsset: 'ETH',
      earliestTimeUs: 1_570_752_011_620_000,
      tickSize: '0.00000001',
      lotSize: '1',
      supportedPeriods: FIXTURE_PERIODS,
      status: 'TRADING',
    },
  ]);
  await writer.appendBars(btcFiveMinuteBars());
  await writer.appendTrades(btcTrades());
  await writer.appendTrades(xrpethTrades());
  await writer.flush();
  const reader = await createStoreReader({}, config);
  try {
    for (const symbol of ['BTCUSDT', 'XRPETH']) {
      const bars = await reader.barsFromTrades({ venue: 'BINANCE', symbol, period: '1m' });
      await writer.appendBars(bars.map((b) => ({ ...b, venue: 'BINANCE', symbol })));
    }
    await writer.flush();
  } finally {
    reader.close();
    await writer.close();
  }
}

/** A fresh temp directory holding the fixture; `cleanup` removes it. */
export async function filledTempStore(): Promise<{ dir: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'qf-mcp-store-'));
  await fillStore(dir);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
