/**
 * Which (alert id, channel) pairs were delivered, durably, per user:
 * `<dataDir>/alerts-delivered/<user>.jsonl`, one `{"id","channel"}` line appended and fsynced per
 * delivery. The deliverer records a pair after its sink accepted the alert and before the
 * consumer commits the offset, so a restart that reads the alert again skips the pairs recorded.
 * A torn last line (a crash mid-append) is ignored: that delivery is retried.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const lineSchema = z.object({ id: z.string(), channel: z.string() });

export interface DeliveryLedger {
  has(userId: string, alertId: string, channel: string): boolean;
  /** Appends the pair and fsyncs before it returns. */
  record(userId: string, alertId: string, channel: string): void;
}

/** Where the ledger of `dataDir` lives. */
export function deliveryLedgerDir(dataDir: string): string {
  return path.join(dataDir, 'alerts-delivered');
}

export function createDeliveryLedger(options: { readonly dataDir: string }): DeliveryLedger {
  const dir = deliveryLedgerDir(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const byUser = new Map<string, Set<string>>();
  /** Users whose file ends in a torn line: the next append starts a new line first. */
  const torn = new Set<string>();
  const fileOf = (userId: string) => path.join(dir, `${encodeURIComponent(userId)}.jsonl`);

  function pairs(userId: string): Set<string> {
    let set = byUser.get(userId);
    if (set !== undefined) return set;
    set = new Set();
    const file = fileOf(userId);
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text !== '' && !text.endsWith('\n')) torn.add(userId);
      for (const line of text.split('\n')) {
        if (line === '') continue;
        let parsed: z.infer<typeof lineSchema>;
        try {
          parsed = lineSchema.parse(JSON.parse(line));
        } catch {
          continue;
        }
        set.add(`${parsed.channel}|${parsed.id}`);
      }
    }
    byUser.set(userId, set);
    return set;
  }

  return {
    has: (userId, alertId, channel) => pairs(userId).has(`${channel}|${alertId}`),
    record(userId, alertId, channel) {
      const set = pairs(userId);
      const fd = openSync(fileOf(userId), 'a');
      try {
        const line = `${JSON.stringify({ id: alertId, channel })}\n`;
        writeSync(fd, torn.delete(userId) ? `\n${line}` : line);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      set.add(`${channel}|${alertId}`);
    },
  };
}
