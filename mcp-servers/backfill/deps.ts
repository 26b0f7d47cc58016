import type { Logger } from '../../core/logger.ts';
import type { ContextResolver } from '../common/index.ts';
import type { BackfillJobs } from './jobs.ts';

/** Dependencies of the backfill server. */
export interface BackfillServerDeps {
  readonly jobs: BackfillJobs;
  readonly resolveContext: ContextResolver;
  readonly logger?: Logger;
}
