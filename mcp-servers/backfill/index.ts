/** The backfill MCP server over the pipeline's backfill service. */
export type { BackfillServerDeps } from './deps.ts';
export { describeJob } from './format.ts';
export { type BackfillJobs, type BackfillJobsSource, createBackfillJobs } from './jobs.ts';
export { createBackfillServer } from './server.ts';
