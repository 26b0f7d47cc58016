/**
 * The backfill service: jobs from `cmd.backfill` or `submit`, one at a time per venue (REST
 * weight is per IP and venue), progress on `exec.backfill` and from `status`.
 */
import { randomUUID } from 'node:crypto';
import { InvalidInputError, QuantForgeError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Bus, Subscription } from '../bus/types.ts';
import type { StoreReader } from '../store/index.ts';
import type { BinanceMarketApi } from '../venues/binance/index.ts';
import type { CcxtVenue } from '../venues/ccxt/index.ts';
import { BACKFILL_TOPICS, createCommandHandler, toProgressRecord } from './bus-io.ts';
import { type BackfillConfig, type BackfillConfigInput, backfillConfigSchema } from './config.ts';
import type { BaseJobContext, JobProgress } from './jobs.ts';
import { checkRange, fractionOf } from './plan.ts';
import { type JobSource, resolveSource, runJob, sourceEarliestUs } from './sources.ts';
import {
  BACKFILL_DATASETS,
  type BackfillDataset,
  type BackfillRequest,
  type BackfillState,
  type BackfillStatus,
} from './types.ts';

export { BACKFILL_TOPICS } from './bus-io.ts';

/** What the service is handed. */
export interface BackfillServiceDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  /** REST market API per venue id (BINANCE, BINANCE_USDM, ...), each with its own weight tracking. */
  readonly venues: Readonly<Record<string, BinanceMarketApi>>;
  /** Other exchanges through ccxt, by venue id (e.g. KRAKEN): bars jobs. */
  readonly ccxt?: Readonly<Record<string, CcxtVenue>>;
  readonly reader: StoreReader;
  /** Now, epoch µs (default wall clock). */
  readonly clock?: () => number;
  /** Called with every status change (the CLI draws its progress bar from it). */
  readonly onProgress?: (status: BackfillStatus) => void;
  /**
   * Resolves when what a job produced has reached the store (the CLI passes the pipeline's
   * `settled`); a job is `done` only after it. Called only when the job produced something,
   * with how many records it produced (klines and trades). Default: done when produced.
   */
  readonly settle?: (produced: { itemsWritten: number }) => Promise<void>;
}

/** A running backfill service. */
export interface BackfillService {
  /** Subscribes to `cmd.backfill`. */
  start(): Promise<void>;
  /** Stops the subscription and cancels running jobs between requests. */
  stop(): Promise<void>;
  /** Checks and queues a job; throws InvalidInputError saying what was wrong and what is valid. */
  submit(request: BackfillRequest): Promise<BackfillStatus>;
  /** The job's latest status, or undefined for an unknown id. */
  status(jobId: string): BackfillStatus | undefined;
  /** Resolves with the final status when the job has finished (done, failed or cancelled). */
  finished(jobId: string): Promise<BackfillStatus>;
  /** Asks a job to stop before its next request; true when it was queued or running. */
  cancel(jobId: string): boolean;
}

interface Job {
  status: BackfillStatus;
  cancelled: boolean;
  readonly finished: Promise<BackfillStatus>;
  resolve(status: BackfillStatus): void;
}

/**
 * Builds the service. Config is checked here.
 * @example
 * const backfill = createBackfillService({ bus, logger, venues: { BINANCE: market }, reader }, {});
 * const job = await backfill.submit({ venue: 'BINANCE', symbol: 'BTCUSDT', dataset: 'bars', fromUs, toUs });
 * const final = await backfill.finished(job.jobId);
 */
export function createBackfillService(
  deps: BackfillServiceDeps,
  configInput: BackfillConfigInput = {},
): BackfillService {
  const config: BackfillConfig = Object.freeze(backfillConfigSchema.parse(configInput));
  const nowUs = deps.clock ?? (() => Date.now() * 1000);
  const jobs = new Map<string, Job>();
  /** Tail of each venue's queue: jobs of one venue run one after another. */
  const queues = new Map<string, Promise<void>>();
  const earliest = new Map<string, number | undefined>();
  let subscription: Subscription | undefined;

  async function publish(status: BackfillStatus): Promise<void> {
    deps.onProgress?.(status);
    try {
      await deps.bus.produce([toProgressRecord(status)]);
    } catch (error) {
      deps.logger.warn({ err: error, jobId: status.jobId }, 'backfill: could not publish progress');
    }
  }

  function update(job: Job, patch: Partial<BackfillStatus>): Promise<void> {
    job.status = { ...job.status, ...patch, updatedAtUs: nowUs() };
    return publish(job.status);
  }

  function forget(): void {
    const done = [...jobs.values()].filter((j) => isFinal(j.status.state));
    for (const j of done.slice(0, Math.max(0, done.length - config.keepFinishedJobs)))
      jobs.delete(j.status.jobId);
  }

  async function earliestUs(venue: string, symbol: string, source: JobSource): Promise<number | undefined> {
    const key = `${venue}:${symbol}`;
    if (!earliest.has(key)) earliest.set(key, await sourceEarliestUs(deps.reader, venue, symbol, source));
    return earliest.get(key);
  }

  async function submit(request: BackfillRequest): Promise<BackfillStatus> {
    const venue = request.venue.toUpperCase();
    const dataset = request.dataset as string;
    if (!(BACKFILL_DATASETS as readonly string[]).includes(dataset)) {
      throw new InvalidInputError(
        'dataset',
        `expected one of ${BACKFILL_DATASETS.join(', ')} (got "${dataset}")`,
      );
    }
    const period = request.period || '1m';
    const { source, symbol } = await resolveSource(
      deps,
      venue,
      request.symbol,
      dataset as BackfillDataset,
      period,
    );
    const now = nowUs();
    const toUs = request.toUs ?? now;
    checkRange({ venue, symbol, fromUs: request.fromUs, toUs, nowUs: now, earliestUs: undefined });
    const jobId = request.jobId || randomUUID();
    if (jobs.has(jobId) && !isFinal(jobs.get(jobId)!.status.state)) {
      throw new InvalidInputError('jobId', `job ${jobId} is already ${jobs.get(jobId)!.status.state}`);
    }
    checkRange({
      venue,
      symbol,
      fromUs: request.fromUs,
      toUs,
      nowUs: now,
      earliestUs: await earliestUs(venue, symbol, source),
    });
    let resolve: (s: BackfillStatus) => void = () => {};
    const finished = new Promise<BackfillStatus>((r) => {
      resolve = r;
    });
    const job: Job = {
      status: {
        jobId,
        venue,
        symbol,
        dataset: dataset as BackfillDataset,
        period,
        fromUs: request.fromUs,
        toUs,
        state: 'queued',
        itemsWritten: 0,
        requestsMade: 0,
        fractionDone: 0,
        coveredToUs: request.fromUs,
        gapsFound: 0,
        notes: [],
        updatedAtUs: now,
      },
      cancelled: false,
      finished,
      resolve,
    };
    jobs.set(jobId, job);
    forget();
    await publish(job.status);
    const tail = queues.get(venue) ?? Promise.resolve();
    const next = tail.then(() => run(job, source));
    queues.set(venue, next);
    return job.status;
  }

  async function run(job: Job, source: JobSource): Promise<void> {
    if (job.cancelled) return finish(job, 'cancelled');
    const s = job.status;
    const progress: JobProgress = {
      itemsWritten: 0,
      requestsMade: 0,
      coveredToUs: s.fromUs,
      gapsFound: 0,
      notes: [],
    };
    const snapshot = (): Partial<BackfillStatus> => ({
      itemsWritten: progress.itemsWritten,
      requestsMade: progress.requestsMade,
      coveredToUs: progress.coveredToUs,
      fractionDone: fractionOf(s.fromUs, s.toUs, progress.coveredToUs),
      gapsFound: progress.gapsFound,
      notes: [...progress.notes],
    });
    const ctx: BaseJobContext = {
      venue: s.venue,
      symbol: s.symbol,
      period: s.period,
      fromUs: s.fromUs,
      toUs: s.toUs,
      reader: deps.reader,
      bus: deps.bus,
      config,
      nowUs,
      cancelled: () => job.cancelled,
      progress,
      tick: () => update(job, snapshot()),
    };
    await update(job, { state: 'running' });
    try {
      const outcome = await runJob(ctx, source, s.dataset);
      if (outcome === 'done' && deps.settle && progress.itemsWritten > 0)
        await deps.settle({ itemsWritten: progress.itemsWritten });
      await finish(job, outcome, snapshot());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.logger.warn({ jobId: s.jobId, err: error }, 'backfill job failed');
      await finish(job, 'failed', {
        ...snapshot(),
        error: error instanceof QuantForgeError ? message : `unexpected: ${message}`,
      });
    }
  }

  async function finish(job: Job, state: BackfillState, patch: Partial<BackfillStatus> = {}): Promise<void> {
    await update(job, { ...patch, state, ...(state === 'done' ? { fractionDone: 1 } : {}) });
    job.resolve(job.status);
  }

  function cancel(jobId: string): boolean {
    const job = jobs.get(jobId);
    if (job === undefined || isFinal(job.status.state)) return false;
    job.cancelled = true;
    return true;
  }

  return {
    async start() {
      subscription = await deps.bus.subscribe({
        groupId: 'backfill',
        topics: [BACKFILL_TOPICS.commands],
        handler: createCommandHandler({
          bus: deps.bus,
          nowUs,
          submit,
          cancel,
          known: (jobId) => jobs.has(jobId),
          publish,
        }),
      });
    },
    async stop() {
      await subscription?.stop();
      subscription = undefined;
      for (const job of jobs.values()) job.cancelled = true;
      await Promise.all([...queues.values()]);
    },
    submit,
    status: (jobId) => jobs.get(jobId)?.status,
    finished(jobId) {
      const job = jobs.get(jobId);
      if (job === undefined) return Promise.reject(new InvalidInputError('jobId', `no such job: ${jobId}`));
      return job.finished;
    },
    cancel,
  };
}

function isFinal(state: BackfillState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}
