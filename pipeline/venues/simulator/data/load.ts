import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  type RecordedMessage,
  readAggTradesCsvBatches,
  readAnyWsRecordingBatches,
  readKlinesCsvBatches,
  readTradesCsvBatches,
  symbolOfStream,
} from '../../replay/index.ts';
import type { VenueSimulatorConfig } from '../config.ts';
import type { KlineRow } from '../rest/klines.ts';
import {
  type AggTradeRow,
  aggregateTrades,
  csvAggTradeToRow,
  csvTradeToRow,
  type TradeRow,
  toAggTradeRow,
  toTradeRow,
  wsAggTradeSchema,
  wsTradeSchema,
} from './trades.ts';

/** What the simulator serves for one symbol. */
export interface SymbolData {
  readonly symbol: string;
  /** Individual executions, oldest first; null when only aggregates were recorded. */
  readonly trades: readonly TradeRow[] | null;
  /** Aggregate trades, oldest first (klines are built from these). */
  readonly aggTrades: readonly AggTradeRow[];
  /** Recorded klines, served instead of bars built from trades. */
  readonly klines?: { readonly interval: string; readonly rows: readonly KlineRow[] };
}

/** A recorded exchangeInfo: the exact bytes, and its symbols for filtering. */
export interface ExchangeInfoData {
  readonly bytes: Buffer;
  readonly document: Record<string, unknown> & {
    symbols: Array<Record<string, unknown> & { symbol: string }>;
  };
}

/** Everything the simulator replays and serves, loaded once at start. */
export interface VenueData {
  /** Combined-stream messages in recording order (snapshots and other lines excluded). */
  readonly messages: readonly RecordedMessage[];
  /** Recorded REST depth snapshots by symbol (the symbol of the depth stream beside them). */
  readonly depthSnapshots: ReadonlyMap<string, Buffer>;
  readonly symbols: ReadonlyMap<string, SymbolData>;
  readonly exchangeInfo: ExchangeInfoData | null;
}

const exchangeInfoSchema = z.looseObject({
  symbols: z.array(z.looseObject({ symbol: z.string() })),
});

/** Reads every configured file. Throws naming the file when one does not parse. */
export async function loadVenueData(config: VenueSimulatorConfig): Promise<VenueData> {
  const messages: RecordedMessage[] = [];
  const pendingSnapshots: Buffer[] = [];
  const depthSnapshots = new Map<string, Buffer>();
  const wsTrades = new Map<string, TradeRow[]>();
  const wsAggTrades = new Map<string, AggTradeRow[]>();
  for await (const batch of readAnyWsRecordingBatches(config.wsRecordings)) {
    for (const m of batch) {
      if (m.kind === 'snapshot') pendingSnapshots.push(m.bytes);
      if (m.kind !== 'stream' || m.stream === null) continue;
      messages.push(m);
      if (pendingSnapshots.length > 0 && m.stream.includes('@depth')) {
        for (const s of pendingSnapshots.splice(0)) depthSnapshots.set(symbolOfStream(m.stream), s);
      }
      if (m.stream.endsWith('@trade')) {
        const data = wsTradeSchema.parse((JSON.parse(m.bytes.toString('latin1')) as { data: unknown }).data);
        let list = wsTrades.get(data.s);
        if (list === undefined) {
          list = [];
          wsTrades.set(data.s, list);
        }
        list.push(toTradeRow(data));
      } else if (m.stream.endsWith('@aggTrade')) {
        const data = wsAggTradeSchema.parse(
          (JSON.parse(m.bytes.toString('latin1')) as { data: unknown }).data,
        );
        const list = wsAggTrades.get(data.s) ?? [];
        if (list.length === 0) wsAggTrades.set(data.s, list);
        list.push(toAggTradeRow(data));
      }
    }
  }

  const symbols = new Map<string, SymbolData>();
  for (const [symbol, trades] of wsTrades) {
    symbols.set(symbol, { symbol, trades, aggTrades: aggregateTrades(trades, trades[0]?.id ?? 1) });
  }
  for (const [symbol, aggTrades] of wsAggTrades) {
    if (!symbols.has(symbol)) symbols.set(symbol, { symbol, trades: null, aggTrades });
  }
  for (const source of config.csv) {
    if (source.kind === 'trades') {
      const trades: TradeRow[] = [];
      for await (const batch of readTradesCsvBatches(source.path))
        for (const t of batch) trades.push(csvTradeToRow(t));
      const aggTrades = aggregateTrades(trades, trades[0]?.id ?? 1);
      symbols.set(source.symbol, { symbol: source.symbol, trades, aggTrades });
    } else if (source.kind === 'klines') {
      const rows: KlineRow[] = [];
      for await (const batch of readKlinesCsvBatches(source.path)) {
        for (const k of batch) {
          rows.push([
            Math.floor(k.openTimeUs / 1000),
            k.open,
            k.high,
            k.low,
            k.close,
            k.volume,
            Math.floor(k.closeTimeUs / 1000),
            k.quoteVolume,
            k.trades,
            k.takerBuyBaseVolume,
            k.takerBuyQuoteVolume,
            '0',
          ]);
        }
      }
      const prior = symbols.get(source.symbol);
      symbols.set(source.symbol, {
        symbol: source.symbol,
        trades: prior?.trades ?? null,
        aggTrades: prior?.aggTrades ?? [],
        klines: { interval: source.interval, rows },
      });
    } else {
      const aggTrades: AggTradeRow[] = [];
      for await (const batch of readAggTradesCsvBatches(source.path)) {
        for (const t of batch) aggTrades.push(csvAggTradeToRow(t));
      }
      symbols.set(source.symbol, { symbol: source.symbol, trades: null, aggTrades });
    }
  }

  let exchangeInfo: ExchangeInfoData | null = null;
  if (config.exchangeInfo !== undefined) {
    const bytes = await readFile(config.exchangeInfo);
    const parsed = exchangeInfoSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) {
      throw new Error(`${config.exchangeInfo}: not an exchangeInfo document: ${parsed.error.message}`);
    }
    exchangeInfo = { bytes, document: parsed.data };
  }
  return { messages, depthSnapshots, symbols, exchangeInfo };
}
