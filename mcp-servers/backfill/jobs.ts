/**
 * The backfill jobs of one process as the MCP server sees them: the pipeline's backfill service
 * plus who asked for each job, so one user can neither see nor cancel another's jobs.
 */
import type { BackfillRequest, BackfillService, BackfillStatus } from '../../pipeline/backfill/index.ts';
import { invalidArgument } from '../common/index.ts';

/** What the server needs of the backfill service (`pipeline/backfill` provides it). */
export type BackfillJobsSource = Pick<BackfillService, 'submit' | 'status' | 'cancel'>;

/** Per-user view of the backfill jobs. */
export interface BackfillJobs {
  submit(ownerId: string, request: Omit<BackfillRequest, 'jobId' | 'requestedBy'>): Promise<BackfillStatus>;
  status(ownerId: string, jobId: string): BackfillStatus;
  cancel(ownerId: string, jobId: string): BackfillStatus;
  /** The caller's jobs, newest first. */
  list(ownerId: string): BackfillStatus[];
}

/** Wraps `source` with job ownership (kept in memory for the process's lifetime). */
export function createBackfillJobs(source: BackfillJobsSource): BackfillJobs {
  const owners = new Map<string, string>();

  function own(ownerId: string, jobId: string): BackfillStatus {
    const status = owners.get(jobId) === ownerId ? source.status(jobId) : undefined;
    if (status === undefined) {
      const mine = [...owners].filter(([, o]) => o === ownerId).map(([id]) => id);
      invalidArgument(
        'job_id',
        `no backfill job "${jobId}" of yours; yours: ${mine.slice(-10).join(', ') || 'none'}`,
      );
    }
    return status;
  }

  return {
    async submit(ownerId, request) {
      const status = await source.submit({ ...request, requestedBy: `mcp:${ownerId}` });
      owners.set(status.jobId, ownerId);
      return status;
    },
    status: own,
    cancel(ownerId, jobId) {
      own(ownerId, jobId);
      source.cancel(jobId);
      return source.status(jobId)!;
    },
    list(ownerId) {
      return [...owners]
        .filter(([, o]) => o === ownerId)
        .map(([id]) => source.status(id))
        .filter((s): s is BackfillStatus => s !== undefined)
        .reverse();
    },
  };
}
