import type { BackfillStatus } from '../../pipeline/backfill/index.ts';
import { formatNumber, isoOfUs } from '../common/index.ts';

/** One line describing a job. */
export function describeJob(s: BackfillStatus): string {
  const what = `${s.venue}:${s.symbol} ${s.dataset}${s.dataset === 'bars' ? ` ${s.period}` : ''} ${isoOfUs(s.fromUs)}..${isoOfUs(s.toUs)}`;
  const progress = `${formatNumber(s.fractionDone * 100, 3)}% (covered to ${isoOfUs(s.coveredToUs)}), ${s.gapsFound} gap(s) found, ${s.itemsWritten} item(s) written, ${s.requestsMade} request(s)`;
  const notes = s.notes.length ? ` Notes: ${s.notes.join('; ')}.` : '';
  return `Job ${s.jobId} ${s.state}: ${what}; ${progress}.${s.error ? ` Error: ${s.error}.` : ''}${notes}`;
}
