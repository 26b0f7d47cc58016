import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CsvAggTrade,
  type CsvKline,
  type CsvTrade,
  readAggTradesCsv,
  readKlinesCsv,
  readTradesCsv,
} from './binance-csv.ts';
import { ReplayFormatError } from './errors.ts';
import { ADABTC_KLINES_CSV, SPOT_TRADES_CSV, USDM_TRADES_CSV, XRPETH_AGG_CSV } from './testing/index.ts';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('data.binance.vision CSV readers on real files', () => {
  it('reads the spot trades (headerless, True/False): 19,904 rows, exact strings', async () => {
    const rows: CsvTrade[] = await all(readTradesCsv(SPOT_TRADES_CSV));
    expect(rows).toHaveLength(19904);
    expect(rows[0]).toEqual({
      id: 3735683259,
      price: '61837.63000000',
      qty: '0.02000000',
      quoteQty: '1236.7526',
      timeUs: 1723161255342000,
      isBuyerMaker: true,
      isBestMatch: true,
    });
    expect(rows.at(-1)!.id).toBe(3735703162);
    expect(new Date(rows.at(-1)!.timeUs / 1000).toISOString()).toBe('2024-08-09T00:05:05.800Z');
    expect(rows.every((r, i) => i === 0 || r.id === rows[i - 1]!.id + 1)).toBe(true);
  });

  it('reads the USD-M trades (header, true/false, no best-match column): 21,313 rows', async () => {
    const rows = await all(readTradesCsv(USDM_TRADES_CSV));
    expect(rows).toHaveLength(21313);
    expect(rows[0]).toEqual({
      id: 5266583935,
      price: '61800.30',
      qty: '0.006',
      quoteQty: '370.8018',
      timeUs: 1723161256322000,
      isBuyerMaker: false,
      isBestMatch: null,
    });
    expect(rows.at(-1)!.id).toBe(5266605247);
    expect(new Date(rows.at(-1)!.timeUs / 1000).toISOString()).toBe('2024-08-08T23:59:59.643Z');
  });

  it('reads the XRPETH aggTrades: 5,929 rows covering 6,922 trades', async () => {
    const rows: CsvAggTrade[] = await all(readAggTradesCsv(XRPETH_AGG_CSV));
    expect(rows).toHaveLength(5929);
    expect(rows[0]!.aggId).toBe(13519807);
    expect(rows[0]!.price).toBe('0.00141342');
    expect(rows[0]!.qty).toBe('23.00000000');
    expect(rows.at(-1)!.aggId).toBe(13525735);
    expect(new Date(rows.at(-1)!.timeUs / 1000).toISOString()).toBe('2019-10-11T23:54:32.670Z');
    const covered = rows.reduce((n, r) => n + r.lastTradeId - r.firstTradeId + 1, 0);
    expect(covered).toBe(6922);
  });

  it('reads spot klines in ms and detects 2025+ µs klines by magnitude', async () => {
    const rows: CsvKline[] = await all(readKlinesCsv(ADABTC_KLINES_CSV));
    expect(rows).toHaveLength(10);
    expect(rows[0]!.openTimeUs).toBe(1637971200000000);
    expect(rows[0]!.closeTimeUs).toBe(1637971259999000);
    expect(rows[0]!.trades).toBe(79);
    expect(rows[0]!.takerBuyQuoteVolume).toBe('0.55694227');

    const dir = mkdtempSync(path.join(tmpdir(), 'qf-klines-'));
    const file = path.join(dir, 'BTCUSDT-1m-2025-01-01.csv');
    writeFileSync(
      file,
      '1735689600000000,93576.00000000,93610.93000000,93537.50000000,93610.93000000,8.21827000,1735689659999999,769017.88672420,1817,3.95626000,370226.39101160,0\n',
    );
    const [k] = await all(readKlinesCsv(file));
    expect(k!.openTimeUs).toBe(1735689600000000);
    expect(k!.closeTimeUs).toBe(1735689659999999);
  });

  it('says which line and column is wrong', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qf-trades-'));
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, '1,1.0,2.0,2.0,1723161255342,True,True\n2,1.0,2.0,2.0,1723161255342,maybe,True\n');
    const err = await all(readTradesCsv(file)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayFormatError);
    expect((err as ReplayFormatError).line).toBe(2);
    expect((err as Error).message).toContain('isBuyerMaker (column 6)');
  });
});
