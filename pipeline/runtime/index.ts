/**
 * The pipeline runtime: one pipeline session (start and stop order), the assembled stages,
 * the market sources that feed them (live venue or recorded replay) and the clock ticker.
 * Commands and the platform (app/) use this face; see README.md beside it.
 */
export { type ClockTickerOptions, produceTick, startClockTicker } from './clock-ticker.ts';
export {
  type MarketSource,
  type MarketSourceDeps,
  type MarketSourceOptions,
  startMarketSource,
} from './live-source.ts';
export {
  PIPELINE_STAGES,
  type Pipeline,
  type PipelineDeps,
  type PipelineOptions,
  type PipelineProgress,
  type PipelineStage,
  startPipeline,
} from './pipeline.ts';
export {
  guessReplayFormat,
  REPLAY_FORMATS,
  type ReplayFileOptions,
  type ReplayFormat,
  type ReplayReport,
  replayFile,
  symbolFromFileName,
} from './replay-source.ts';
export {
  openPipelineSession,
  type PipelineSession,
  type PipelineSessionOptions,
  type PipelineStartOptions,
} from './session.ts';
export type { StoreSinkStats } from './store-sink.ts';
