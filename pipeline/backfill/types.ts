/** What a backfill job is asked to do, and what it reports. */

/** Datasets a job fills: `bars` from venue klines, `trades` from venue trade history. */
export const BACKFILL_DATASETS = ['bars', 'trades'] as const;
export type BackfillDataset = (typeof BACKFILL_DATASETS)[number];

/** Job states, as in the proto `BackfillProgress.state`. */
export type BackfillState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A job request (the CLI, MCP, or a `cmd.backfill` command). Times are epoch µs, `[fromUs, toUs)`. */
export interface BackfillRequest {
  /** Given by the caller, or made up by `submit`. */
  readonly jobId?: string;
  /** BINANCE, BINANCE_USDM, BINANCE_COINM. */
  readonly venue: string;
  /** Venue symbol, e.g. BTCUSDT. */
  readonly symbol: string;
  readonly dataset: BackfillDataset;
  /** Bar period of a `bars` job (default 1m). */
  readonly period?: string;
  readonly fromUs: number;
  /** Exclusive end; default now. */
  readonly toUs?: number;
  readonly requestedBy?: string;
}

/** The live status of a job (what `exec.backfill` carries, plus the job's identity and notes). */
export interface BackfillStatus {
  readonly jobId: string;
  readonly venue: string;
  readonly symbol: string;
  readonly dataset: BackfillDataset;
  readonly period: string;
  readonly fromUs: number;
  readonly toUs: number;
  readonly state: BackfillState;
  /** Records sent into the pipeline (norm.trade / norm.kline), after gap filtering. */
  readonly itemsWritten: number;
  /** REST calls made (a call the client retried after 429/418 counts once). */
  readonly requestsMade: number;
  /** 0..1 of the requested time range handled. */
  readonly fractionDone: number;
  /** Everything before this time (epoch µs) has been handled. */
  readonly coveredToUs: number;
  /** Missing bars found (bars job, known at start), or trades found missing after the stored range (trades job). */
  readonly gapsFound: number;
  /** What was found but left alone, and why (e.g. trade-id holes inside the stored range). */
  readonly notes: readonly string[];
  readonly error?: string;
  readonly updatedAtUs: number;
}
