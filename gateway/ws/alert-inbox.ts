/**
 * The web page's alert channel: each user's delivered alerts in `<dataDir>/alerts-inbox/<user>.json`
 * (the newest {@link INBOX_SIZE}, each with a `seen` flag), and the listeners of the open pages.
 *
 * Delivery (`webAlertSink`, called by the deliverer of pipeline/alerts) writes the alert to the
 * file, then tells the user's open connections: once, live. An alert already in the inbox is not
 * added nor pushed again (the sink is idempotent on the alert id, closing the deliverer's window
 * between a delivery and its ledger line). Alerts fired while no page was open stay unseen and
 * are sent on the next connect (`alerts.unseen`) until the page marks them seen.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AlertSink, DeliveredAlert } from '../../pipeline/alerts/index.ts';
import { writeFileAtomic } from '../../pipeline/store/catalog/fs-atomic.ts';
import type { AlertView } from './protocol.ts';

/** Alerts kept per user, seen or not. */
export const INBOX_SIZE = 200;

const entrySchema = z.object({
  alertId: z.string(),
  ruleId: z.string(),
  exchange: z.string(),
  symbol: z.string(),
  kind: z.string(),
  message: z.string(),
  value: z.number(),
  threshold: z.number(),
  timeUs: z.number(),
  seen: z.boolean(),
});
const fileSchema = z.object({ version: z.literal(1), alerts: z.array(entrySchema) });
type Entry = z.infer<typeof entrySchema>;

export type AlertListener = (alert: AlertView) => void;

/** What the hub needs: a user's unseen alerts, new ones as they come, marking seen. */
export interface AlertFeed {
  unseen(userId: string): AlertView[];
  markSeen(userId: string, alertIds: readonly string[]): void;
  subscribe(userId: string, listener: AlertListener): () => void;
}

export interface AlertInbox extends AlertFeed {
  /** Adds an alert; false (and no one told) when the user's inbox already holds its id. */
  add(userId: string, alert: AlertView): boolean;
}

const viewOf = ({ seen: _seen, ...view }: Entry): AlertView => view;

/** The page's view of a delivered alert. */
export function alertView(a: DeliveredAlert): AlertView {
  return {
    alertId: a.alertId,
    ruleId: a.ruleId,
    exchange: a.venue,
    symbol: a.symbol,
    kind: a.kind,
    message: a.message,
    value: a.value,
    threshold: a.threshold,
    timeUs: a.triggeredAtUs,
  };
}

export function createAlertInbox(options: { readonly dataDir: string }): AlertInbox {
  const dir = path.join(options.dataDir, 'alerts-inbox');
  mkdirSync(dir, { recursive: true });
  const cache = new Map<string, Entry[]>();
  const listeners = new Map<string, Set<AlertListener>>();
  const fileOf = (userId: string) => path.join(dir, `${encodeURIComponent(userId)}.json`);

  function entries(userId: string): Entry[] {
    let list = cache.get(userId);
    if (list !== undefined) return list;
    const file = fileOf(userId);
    list = existsSync(file) ? fileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).alerts : [];
    cache.set(userId, list);
    return list;
  }

  function save(userId: string, list: Entry[]): void {
    writeFileAtomic(fileOf(userId), JSON.stringify({ version: 1, alerts: list }));
    cache.set(userId, list);
  }

  return {
    add(userId, alert) {
      const list = entries(userId);
      if (list.some((e) => e.alertId === alert.alertId)) return false;
      save(userId, [...list, { ...alert, seen: false }].slice(-INBOX_SIZE));
      for (const listener of listeners.get(userId) ?? []) listener(alert);
      return true;
    },
    unseen: (userId) =>
      entries(userId)
        .filter((e) => !e.seen)
        .map(viewOf),
    markSeen(userId, alertIds) {
      const ids = new Set(alertIds);
      const list = entries(userId);
      if (!list.some((e) => !e.seen && ids.has(e.alertId))) return;
      save(
        userId,
        list.map((e) => (ids.has(e.alertId) ? { ...e, seen: true } : e)),
      );
    },
    subscribe(userId, listener) {
      let set = listeners.get(userId);
      if (set === undefined) {
        set = new Set();
        listeners.set(userId, set);
      }
      const mine = set;
      mine.add(listener);
      return () => {
        mine.delete(listener);
        if (mine.size === 0 && listeners.get(userId) === mine) listeners.delete(userId);
      };
    },
  };
}

/** The web channel for the deliverer: the alert into the user's inbox (and to their open pages). */
export function webAlertSink(inbox: AlertInbox): AlertSink {
  return {
    channel: 'web',
    async deliver(alert) {
      inbox.add(alert.userId, alertView(alert));
    },
  };
}
