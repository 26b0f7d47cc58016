/**
 * Usage entries as `log.usage` records. The value is the entry as UTF-8 JSON (the ledger line's
 * exact shape, `usageEntrySchema`), not protobuf: the topic is declared `opaque` in
 * deploy/topics.yaml, owned by this module. Keyed by user id.
 */
import { TOPIC_NAMES } from '../../pipeline/bus/topic-names.ts';
import type { BusRecord } from '../../pipeline/bus/types.ts';
import type { UsageEntry } from './ledger.ts';

/** Header saying how the value is encoded. */
export const USAGE_RECORD_HEADERS = { 'content-type': 'application/json' } as const;

/** The `log.usage` record of a ledger entry. */
export function toUsageRecord(entry: UsageEntry): BusRecord {
  return {
    topic: TOPIC_NAMES.logUsage,
    key: entry.userId,
    value: Buffer.from(JSON.stringify(entry), 'utf8'),
    headers: USAGE_RECORD_HEADERS,
  };
}
