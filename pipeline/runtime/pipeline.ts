/**
 * The pipeline assembled: raw venue topics → normalizer → trade processor (dedup, sequencer,
 * bars, derived, indicators) → store, and optionally the realtime feed. Every stage talks only to the bus
 * it is handed, so the same assembly runs in one process on the embedded bus or spread over
 * processes on Kafka (each stage is its own consumer group).
 */
import type { Logger } from '../../core/logger.ts';
import { createAlertRuleStore, createAlertsStage, watchAlertRules } from '../alerts/index.ts';
import type { Bus } from '../bus/types.ts';
import { createTradeProcessor, type ProcessorsConfig } from '../processors/index.ts';
import {
  createStoreReader,
  createStoreWriter,
  type StoreConfig,
  type StoreReader,
  type StoreWriter,
} from '../store/index.ts';
import { createBinanceNormalizer, VENUE_IDS } from '../venues/binance/index.ts';
import { PIPELINE_STAGES, type PipelineStage } from './stages.ts';
import { createStoreSink, emptySinkStats, type StoreSinkStats } from './store-sink.ts';

export { PIPELINE_STAGES, type PipelineStage } from './stages.ts';

export interface PipelineDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  /** Current time, epoch µs: live runs pass one so quiet minutes close by time. */
  readonly clock?: () => number;
}

export interface PipelineOptions {
  readonly store: StoreConfig;
  readonly processors: ProcessorsConfig;
  /** Venue ids whose raw topics are normalized (default every Binance market). */
  readonly venues?: readonly string[];
  /**
   * Stages this process runs (default all). On Kafka the stages can be spread over processes
   * or machines, each running some; together they must run each stage at least once. On the
   * embedded bus every stage must run in the one process.
   */
  readonly stages?: readonly PipelineStage[];
}

/** A running pipeline. */
export interface Pipeline {
  readonly writer: StoreWriter;
  readonly reader: StoreReader;
  /** Progress counters of every stage, for `settled` and for status output. */
  progress(): PipelineProgress;
  /**
   * Resolves once no stage has made progress for `quietMs` (all input produced so far has
   * flowed through to the store). Used by one-shot commands (`quantforge ingest`) to know
   * when everything they sent is committed.
   */
  settled(options?: { quietMs?: number; timeoutMs?: number }): Promise<PipelineProgress>;
  stop(): Promise<void>;
}

export interface PipelineProgress {
  readonly normalizer: { frames: number; produced: number; deadLettered: number; notNormalized: number };
  /** The trade processor's refusals (unreadable records, bad decimals). */
  readonly trades: { deadLettered: number };
  readonly sink: StoreSinkStats;
  /**
   * Records refused and dead-lettered by any stage in this process (normalizer, trade processor,
   * store sink): each is on a `dlq.*` topic with its reason, nothing is lost.
   */
  readonly refused: number;
  /**
   * Records no stage could store nor dead-letter (the DLQ could not be written): lost. A command
   * that ends with `lost > 0` must say so and exit non-zero.
   */
  readonly lost: number;
}

/** Starts the stages of the pipeline (default all) on `deps.bus`. */
export async function startPipeline(deps: PipelineDeps, options: PipelineOptions): Promise<Pipeline> {
  const { bus, logger } = deps;
  const venues = options.venues ?? Object.values(VENUE_IDS);
  const stages = new Set<PipelineStage>(options.stages ?? PIPELINE_STAGES);
  if (bus.kind === 'embedded' && stages.size < PIPELINE_STAGES.length)
    throw new Error(
      `pipeline: the embedded bus lives in one process, so it must run every stage (${PIPELINE_STAGES.join(', ')}); ` +
        `got ${[...stages].join(', ')}. Spread stages over processes on the Kafka bus.`,
    );
  const writer = await createStoreWriter({ logger }, options.store);
  const reader = await createStoreReader({ logger }, options.store);
  const normalizer = createBinanceNormalizer({ bus, logger }, { venues, fromBeginning: true });
  const trades = createTradeProcessor({ bus, logger, clock: deps.clock }, options.processors);
  const processors: [PipelineStage, { start(): Promise<void>; stop(): Promise<void> }][] = [
    ['normalizer', normalizer],
    ['trades', trades],
  ];
  const started: { stop(): Promise<void> }[] = [];
  if (stages.has('alerts')) {
    // The users' rules live beside the store (`<dataDir>/alerts/`); rule files written by any
    // process (the gateway's MCP tools, Telegram) reach the stage through the watch.
    const rules = createAlertRuleStore({ dataDir: options.store.dataDir });
    const alerts = createAlertsStage({ bus, logger, rules, ...(deps.clock ? { clock: deps.clock } : {}) });
    let watch: { close(): void } | undefined;
    processors.push([
      'alerts',
      {
        async start() {
          watch = watchAlertRules(rules, { dataDir: options.store.dataDir, logger });
          try {
            await alerts.start();
          } catch (error) {
            watch.close();
            throw error;
          }
        },
        async stop() {
          watch?.close();
          await alerts.stop();
        },
      },
    ]);
  }
  let sink: Awaited<ReturnType<typeof createStoreSink>> | undefined;
  try {
    for (const [name, stage] of processors) {
      if (!stages.has(name)) continue;
      await stage.start();
      started.push(stage);
    }
    if (stages.has('sink')) sink = await createStoreSink({ bus, logger, writer, reader });
  } catch (error) {
    // A stage that cannot start (e.g. a missing topic) must not leave the others, the store
    // writer or the reader running: they would keep the process alive after the error.
    for (const stage of started.reverse()) await stage.stop().catch(() => {});
    await writer.close().catch(() => {});
    reader.close();
    throw error;
  }
  logger.info({ venues, stages: [...stages] }, 'pipeline: stages running');

  function progress(): PipelineProgress {
    const n = normalizer.stats();
    const t = trades.stats();
    const k = sink?.stats() ?? emptySinkStats();
    return {
      normalizer: {
        frames: n.frames,
        produced: n.produced,
        deadLettered: n.deadLettered,
        notNormalized: n.notNormalized,
      },
      trades: { deadLettered: t.deadLettered },
      sink: k,
      refused: n.deadLettered + t.deadLettered + k.dead + k.mixedSource,
      lost: k.lost,
    };
  }

  return {
    writer,
    reader,
    progress,
    async settled({ quietMs = 750, timeoutMs = 10 * 60_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let last = JSON.stringify(progress());
      let quietSince = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, Math.min(100, quietMs / 4)));
        const now = JSON.stringify(progress());
        if (now !== last) {
          last = now;
          quietSince = Date.now();
        } else if (Date.now() - quietSince >= quietMs) {
          return progress();
        }
        if (Date.now() > deadline) throw new Error(`pipeline did not settle within ${timeoutMs} ms: ${now}`);
      }
    },
    async stop() {
      await sink?.stop();
      for (const stage of started.reverse()) await stage.stop();
      await writer.flush();
      await writer.close();
      reader.close();
    },
  };
}
