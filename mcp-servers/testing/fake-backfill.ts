/** Test helper: a backfill service stand-in with the real range check; jobs stay running until cancelled. */
import { type BackfillRequest, type BackfillStatus, checkRange } from '../../pipeline/backfill/index.ts';
import type { BackfillJobsSource } from '../backfill/index.ts';

export const NOW_US = Date.parse('2026-01-01T00:00:00Z') * 1000;
export const EARLIEST_US = Date.parse('2017-08-17T04:00:00Z') * 1000;

/** A backfill service stand-in: the real range check, jobs that stay running until cancelled. */
export function fakeBackfillService(): BackfillJobsSource & { requests: BackfillRequest[] } {
  const jobs = new Map<string, BackfillStatus>();
  const requests: BackfillRequest[] = [];
  return {
    requests,
    async submit(r) {
      const toUs = r.toUs ?? NOW_US;
      checkRange({
        venue: r.venue,
        symbol: r.symbol,
        fromUs: r.fromUs,
        toUs,
        nowUs: NOW_US,
        earliestUs: EARLIEST_US,
      });
      requests.push(r);
      const s: BackfillStatus = {
        jobId: `job-${jobs.size + 1}`,
        venue: r.venue,
        symbol: r.symbol,
        dataset: r.dataset,
        period: r.period ?? '1m',
        fromUs: r.fromUs,
        toUs,
        state: 'running',
        itemsWritten: 120,
        requestsMade: 1,
        fractionDone: 0.25,
        coveredToUs: r.fromUs + (toUs - r.fromUs) / 4,
        gapsFound: 480,
        notes: [],
        updatedAtUs: NOW_US,
      };
      jobs.set(s.jobId, s);
      return s;
    },
    status: (id) => jobs.get(id),
    cancel(id) {
      const s = jobs.get(id);
      if (s === undefined) return false;
      jobs.set(id, { ...s, state: 'cancelled' });
      return true;
    },
  };
}
