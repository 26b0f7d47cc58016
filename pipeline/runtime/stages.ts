/**
 * The stages of the pipeline, each its own consumer group: the normalizer (raw → norm.*), the
 * trade processor (dedup, sequencer, bars, derived bars, indicators), the store sink and the
 * alerts stage (the users' alert rules over the sequenced trades and bars → `alerts`).
 */
export const PIPELINE_STAGES = ['normalizer', 'trades', 'sink', 'alerts'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];
