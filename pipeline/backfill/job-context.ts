/**
 * What a backfill job runs with and how it ends, apart from the jobs themselves so the job
 * kinds (jobs.ts, repair.ts, ccxt-bars.ts) share them without importing each other.
 */
import type { Bus } from '../bus/types.ts';
import type { StoreReader } from '../store/index.ts';
import type { BinanceMarketApi } from '../venues/binance/index.ts';
import type { BackfillConfig } from './config.ts';

/** Mutable counters of a running job; the service publishes them after each step. */
export interface JobProgress {
  itemsWritten: number;
  requestsMade: number;
  coveredToUs: number;
  gapsFound: number;
  readonly notes: string[];
}

/** What a job runs with, whatever the venue API. */
export interface BaseJobContext {
  readonly venue: string;
  readonly symbol: string;
  readonly period: string;
  readonly fromUs: number;
  readonly toUs: number;
  readonly reader: StoreReader;
  readonly bus: Bus;
  readonly config: BackfillConfig;
  readonly nowUs: () => number;
  readonly cancelled: () => boolean;
  readonly progress: JobProgress;
  /** Called after each request so progress is published. */
  readonly tick: () => Promise<void>;
}

/** A job on a Binance market. */
export interface JobContext extends BaseJobContext {
  readonly market: BinanceMarketApi;
}

/** Result of a job run: finished, or stopped by cancel between requests. */
export type JobOutcome = 'done' | 'cancelled';
