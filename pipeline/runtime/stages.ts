/**
 * The stages of the pipeline, each its own consumer group: the normalizer (raw → norm.*), the
 * trade processor (dedup, sequencer, bars, derived bars, indicators) and the store sink.
 */
export const PIPELINE_STAGES = ['normalizer', 'trades', 'sink'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];
