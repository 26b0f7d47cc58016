/**
 * One pipeline session: the start and stop order every command and the platform share.
 *
 * Start: bus → declared topics → processor state (embedded bus: from `<dataDir>/_state`) →
 * the pipeline's stages. Whatever comes between the bus and the stages (a market source that
 * must be producing before the stages start, for example) runs between `openPipelineSession`
 * and `session.start()`.
 *
 * Stop (`close`): the stages stop, finishing in-flight batches and committing → processor state
 * saved (embedded bus) → bus closed. A start that fails half way closes what it opened and
 * rethrows, so no consumer, file handle or socket keeps the process alive after the error.
 */
import type { Logger } from '../../core/logger.ts';
import { type Bus, type BusConfig, createBus } from '../bus/index.ts';
import { ensureTopics, loadTopics, type TopicDeclaration } from '../bus/topics.ts';
import type { ProcessorsConfig } from '../processors/index.ts';
import type { StoreConfig } from '../store/index.ts';
import { type Pipeline, type PipelineStage, startPipeline } from './pipeline.ts';
import { loadStateTopics, saveStateTopics } from './state-files.ts';

/** Options of {@link openPipelineSession}. */
export interface PipelineSessionOptions {
  /** The bus to open (its `kind` decides embedded or Kafka). */
  readonly bus: BusConfig;
  readonly store: StoreConfig;
  readonly processors: ProcessorsConfig;
  /** Venue ids whose raw topics are normalized (default every Binance market). */
  readonly venues?: readonly string[];
  /** Stages this process runs (default all; the embedded bus needs all). */
  readonly stages?: readonly PipelineStage[];
}

/** Options of {@link PipelineSession.start}. */
export interface PipelineStartOptions {
  /** Current time, epoch µs: live runs pass one so quiet minutes close by time. */
  readonly clock?: () => number;
}

/** An open session: the bus is up, topics exist and processor state is loaded. */
export interface PipelineSession {
  readonly bus: Bus;
  /** The topics declared in deploy/topics.yaml, as created on the bus. */
  readonly topics: readonly TopicDeclaration[];
  /** Starts the stages (once); a failure closes the session before it rethrows. */
  start(options?: PipelineStartOptions): Promise<Pipeline>;
  /** Stops the stages, saves processor state (embedded bus) and closes the bus. Idempotent. */
  close(): Promise<void>;
}

/** Opens the bus, creates the declared topics and loads processor state; see the module doc. */
export async function openPipelineSession(
  deps: { readonly logger: Logger },
  options: PipelineSessionOptions,
): Promise<PipelineSession> {
  const { logger } = deps;
  const bus = createBus({ logger }, options.bus);
  const embedded = bus.kind === 'embedded';
  const dataDir = options.store.dataDir;
  let pipeline: Pipeline | undefined;
  let closing: Promise<void> | undefined;

  async function closeOnce(): Promise<void> {
    try {
      if (pipeline) {
        await pipeline.stop();
        // Saved after the stages stop, so the state written last (their final commit) is kept.
        if (embedded) await saveStateTopics(bus, dataDir);
      }
    } finally {
      await bus.close();
    }
  }
  const close = (): Promise<void> => {
    closing ??= closeOnce();
    return closing;
  };

  let topics: TopicDeclaration[];
  try {
    topics = loadTopics();
    await ensureTopics(bus, topics);
    // On Kafka the processors restore their state from the state.* changelog topics themselves.
    if (embedded) await loadStateTopics(bus, dataDir);
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }

  return {
    bus,
    topics,
    async start(startOptions = {}) {
      if (pipeline) throw new Error('pipeline session: start() was already called');
      if (closing) throw new Error('pipeline session: start() after close()');
      try {
        pipeline = await startPipeline(
          { bus, logger, ...(startOptions.clock ? { clock: startOptions.clock } : {}) },
          {
            store: options.store,
            processors: options.processors,
            ...(options.venues ? { venues: options.venues } : {}),
            ...(options.stages ? { stages: options.stages } : {}),
          },
        );
      } catch (error) {
        await close().catch(() => {});
        throw error;
      }
      return pipeline;
    },
    close,
  };
}
