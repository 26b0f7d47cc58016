import { ReplayFormatError } from './errors.ts';
import { type ReadLinesOptions, readLineBatches } from './lines.ts';

/**
 * Readers for data.binance.vision CSV files, every flavour: spot (headerless,
 * `True`/`False`) and USD-M/COIN-M futures (header line, `true`/`false`); times in ms, or
 * in µs for spot files from 2025-01-01 (detected per value by magnitude). Prices and
 * quantities stay the exact decimal strings of the file; times come out as epoch µs.
 */

/** One execution (`trades` files). */
export interface CsvTrade {
  readonly id: number;
  readonly price: string;
  readonly qty: string;
  readonly quoteQty: string;
  readonly timeUs: number;
  /** True when the seller was the aggressor (Binance `m`). */
  readonly isBuyerMaker: boolean;
  /** Spot only (`M`); null in futures files, which have no such column. */
  readonly isBestMatch: boolean | null;
}

/** One aggregate trade (`aggTrades` files). */
export interface CsvAggTrade {
  readonly aggId: number;
  readonly price: string;
  readonly qty: string;
  readonly firstTradeId: number;
  readonly lastTradeId: number;
  readonly timeUs: number;
  readonly isBuyerMaker: boolean;
  readonly isBestMatch: boolean | null;
}

/** One kline (`klines` files). `closeTimeUs` is the venue's inclusive last µs/ms of the bar. */
export interface CsvKline {
  readonly openTimeUs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly closeTimeUs: number;
  readonly quoteVolume: string;
  readonly trades: number;
  readonly takerBuyBaseVolume: string;
  readonly takerBuyQuoteVolume: string;
}

const COMMA = 44;
/** Epoch values at or above this are µs (1e14 µs is 1973; 1e14 ms is year 5138). */
const MICROS_THRESHOLD = 1e14;

/** A line cut into fields; reused across lines of one reader (no per-line arrays). */
class Fields {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  count = 0;
  line: Buffer = Buffer.alloc(0);

  split(line: Buffer): void {
    this.line = line;
    let start = 0;
    let n = 0;
    for (;;) {
      const comma = line.indexOf(COMMA, start);
      this.starts[n] = start;
      if (comma === -1) {
        this.ends[n] = line.length;
        n++;
        break;
      }
      this.ends[n] = comma;
      n++;
      start = comma + 1;
    }
    this.count = n;
  }

  str(i: number): string {
    return this.line.toString('latin1', this.starts[i]!, this.ends[i]!);
  }

  /** Non-negative integer field; NaN when it is not all digits. */
  int(i: number): number {
    const end = this.ends[i]!;
    let start = this.starts[i]!;
    if (start === end) return Number.NaN;
    let n = 0;
    for (; start < end; start++) {
      const c = this.line[start]! - 48;
      if (c < 0 || c > 9) return Number.NaN;
      n = n * 10 + c;
    }
    return n;
  }

  /** `True`/`true`/`False`/`false`; null for anything else. */
  bool(i: number): boolean | null {
    const c = this.line[this.starts[i]!];
    const len = this.ends[i]! - this.starts[i]!;
    if ((c === 84 || c === 116) && len === 4) return true;
    if ((c === 70 || c === 102) && len === 5) return false;
    return null;
  }

  timeUs(i: number): number {
    const t = this.int(i);
    return t >= MICROS_THRESHOLD ? t : t * 1000;
  }
}

type RowParser<T> = (f: Fields) => T | string;

async function* readCsv<T>(
  path: string,
  what: string,
  minColumns: number,
  parse: RowParser<T>,
  options: ReadLinesOptions,
): AsyncGenerator<T[]> {
  const f = new Fields();
  let lineNo = 0;
  for await (const lines of readLineBatches(path, options)) {
    const out: T[] = [];
    for (const line of lines) {
      lineNo++;
      const first = line[0]!;
      // A header line (futures files) starts with a letter; data lines start with a digit.
      if (lineNo === 1 && (first < 48 || first > 57)) continue;
      f.split(line);
      if (f.count < minColumns) {
        throw new ReplayFormatError(
          path,
          lineNo,
          `a ${what} row has ${minColumns}+ columns, found ${f.count}`,
        );
      }
      const row = parse(f);
      if (typeof row === 'string') throw new ReplayFormatError(path, lineNo, `${what}: ${row}`);
      out.push(row);
    }
    if (out.length > 0) yield out;
  }
}

function parseTrade(f: Fields): CsvTrade | string {
  const id = f.int(0);
  const timeUs = f.timeUs(4);
  const isBuyerMaker = f.bool(5);
  if (Number.isNaN(id)) return 'id (column 1) must be an integer';
  if (Number.isNaN(timeUs)) return 'time (column 5) must be epoch ms or µs';
  if (isBuyerMaker === null) return 'isBuyerMaker (column 6) must be True/False/true/false';
  const isBestMatch = f.count > 6 ? f.bool(6) : null;
  return { id, price: f.str(1), qty: f.str(2), quoteQty: f.str(3), timeUs, isBuyerMaker, isBestMatch };
}

function parseAggTrade(f: Fields): CsvAggTrade | string {
  const aggId = f.int(0);
  const firstTradeId = f.int(3);
  const lastTradeId = f.int(4);
  const timeUs = f.timeUs(5);
  const isBuyerMaker = f.bool(6);
  if (Number.isNaN(aggId) || Number.isNaN(firstTradeId) || Number.isNaN(lastTradeId)) {
    return 'aggTradeId, firstTradeId, lastTradeId (columns 1, 4, 5) must be integers';
  }
  if (Number.isNaN(timeUs)) return 'timestamp (column 6) must be epoch ms or µs';
  if (isBuyerMaker === null) return 'isBuyerMaker (column 7) must be True/False/true/false';
  const isBestMatch = f.count > 7 ? f.bool(7) : null;
  const price = f.str(1);
  const qty = f.str(2);
  return { aggId, price, qty, firstTradeId, lastTradeId, timeUs, isBuyerMaker, isBestMatch };
}

function parseKline(f: Fields): CsvKline | string {
  const openTimeUs = f.timeUs(0);
  const closeTimeUs = f.timeUs(6);
  const trades = f.int(8);
  if (Number.isNaN(openTimeUs) || Number.isNaN(closeTimeUs)) return 'open/close time must be epoch ms or µs';
  if (Number.isNaN(trades)) return 'number of trades (column 9) must be an integer';
  return {
    openTimeUs,
    open: f.str(1),
    high: f.str(2),
    low: f.str(3),
    close: f.str(4),
    volume: f.str(5),
    closeTimeUs,
    quoteVolume: f.str(7),
    trades,
    takerBuyBaseVolume: f.str(9),
    takerBuyQuoteVolume: f.str(10),
  };
}

/** Streams a `trades` CSV (spot or futures flavour) in batches. */
export function readTradesCsvBatches(
  path: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<CsvTrade[]> {
  return readCsv(path, 'trades', 6, parseTrade, options);
}

/** Streams an `aggTrades` CSV (spot or futures flavour) in batches. */
export function readAggTradesCsvBatches(
  path: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<CsvAggTrade[]> {
  return readCsv(path, 'aggTrades', 7, parseAggTrade, options);
}

/** Streams a `klines` CSV (12 columns; spot 2025+ in µs) in batches. */
export function readKlinesCsvBatches(
  path: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<CsvKline[]> {
  return readCsv(path, 'klines', 11, parseKline, options);
}

/**
 * Streams a `trades` CSV record by record.
 *
 * @example
 * for await (const t of readTradesCsv('BTCUSDT-trades-2024-08-08.csv.gz')) volume += Number(t.qty);
 */
export async function* readTradesCsv(path: string, options: ReadLinesOptions = {}): AsyncGenerator<CsvTrade> {
  for await (const batch of readTradesCsvBatches(path, options)) yield* batch;
}

/** Streams an `aggTrades` CSV record by record. */
export async function* readAggTradesCsv(
  path: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<CsvAggTrade> {
  for await (const batch of readAggTradesCsvBatches(path, options)) yield* batch;
}

/** Streams a `klines` CSV record by record. */
export async function* readKlinesCsv(path: string, options: ReadLinesOptions = {}): AsyncGenerator<CsvKline> {
  for await (const batch of readKlinesCsvBatches(path, options)) yield* batch;
}
