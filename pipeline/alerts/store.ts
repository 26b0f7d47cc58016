/**
 * The rule store: each user's alert rules as one JSON file, `<dataDir>/alerts/<user>.json`,
 * written atomically (temp file + rename). Files rather than a compacted topic: rules are a
 * few per user, are edited by the gateway's processes (chat, Telegram, web, MCP) on the same
 * data dir that holds the user's workspaces and notes, and must be readable without a broker
 * (embedded runs, backups); the alerts stage reads them through `AlertRuleSource`.
 * Changes in one process bump `version()`; a stage in another process re-reads on `reload()`
 * (rule-watch.ts). create / list / delete read the user's file afresh, so a change made by
 * another process is neither missed nor overwritten (two processes writing the same user's file
 * at the same instant are not locked against each other: the last rename wins).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/catalog/fs-atomic.ts';
import { ALERT_RULE_SCHEMAS, type AlertRule, type AlertRuleInput, alertRuleSchema } from './rules.ts';
import type { AlertRuleSource } from './stage.ts';

const fileSchema = z.object({ version: z.literal(1), rules: z.array(alertRuleSchema) });

/** A user already has as many rules as their licence allows. */
export class AlertLimitError extends Error {
  override readonly name = 'AlertLimitError';
  readonly retriable = false;
  constructor(
    readonly userId: string,
    readonly limit: number,
  ) {
    super(`alert limit reached: ${limit} rules for this licence; delete one first`);
  }
}

/** What a caller gives to create a rule: the store sets id, user and creation time. */
export type NewAlertRule = AlertRuleInput extends infer R
  ? R extends unknown
    ? Omit<R, 'id' | 'userId' | 'createdAtUs'>
    : never
  : never;

export interface AlertRuleStore extends AlertRuleSource {
  /**
   * Validates and saves a rule; throws AlertLimitError past `limit`, ZodError when invalid.
   * `createdAtUs`: the rule's creation in MARKET time (the series' newest event the caller
   * knows, so a replay of old data fires it); default the store's clock.
   */
  create(userId: string, rule: NewAlertRule, limit: number, createdAtUs?: number): AlertRule;
  list(userId: string): AlertRule[];
  /** True when the rule existed. */
  delete(userId: string, ruleId: string): boolean;
  /** Re-reads every user's file (changes made by another process). */
  reload(): void;
}

export interface AlertRuleStoreOptions {
  readonly dataDir: string;
  /** Epoch µs for createdAtUs; default wall clock. */
  readonly clock?: () => number;
}

export function createAlertRuleStore(options: AlertRuleStoreOptions): AlertRuleStore {
  const dir = path.join(options.dataDir, 'alerts');
  const clock = options.clock ?? (() => Date.now() * 1000);
  const byUser = new Map<string, AlertRule[]>();
  let version = 0;
  let all: AlertRule[] | undefined;

  const fileOf = (userId: string) => path.join(dir, `${encodeURIComponent(userId)}.json`);

  function read(file: string): AlertRule[] {
    return fileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).rules;
  }

  function load(): void {
    byUser.clear();
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      const userId = decodeURIComponent(name.slice(0, -5));
      byUser.set(userId, read(path.join(dir, name)));
    }
    all = undefined;
    version++;
  }

  /**
   * The user's rules as on disk now: another process (Telegram, a stdio MCP server) may have
   * changed the file since this store read it, and a create or delete must not write back a stale
   * list over that change.
   */
  function fresh(userId: string): AlertRule[] {
    const file = fileOf(userId);
    const rules = existsSync(file) ? read(file) : [];
    const cached = byUser.get(userId) ?? [];
    if (JSON.stringify(rules) !== JSON.stringify(cached)) {
      byUser.set(userId, rules);
      all = undefined;
      version++;
    }
    return rules;
  }

  function save(userId: string, rules: AlertRule[]): void {
    writeFileAtomic(fileOf(userId), `${JSON.stringify({ version: 1, rules }, null, 1)}\n`);
    byUser.set(userId, rules);
    all = undefined;
    version++;
  }

  load();
  return {
    create(userId, rule, limit, createdAtUs) {
      const mine = fresh(userId);
      if (mine.length >= limit) throw new AlertLimitError(userId, limit);
      // The kind's own schema, so a ZodError names that kind's fields (a union's says little).
      const schema: z.ZodType<AlertRule> = Object.hasOwn(ALERT_RULE_SCHEMAS, rule.kind)
        ? ALERT_RULE_SCHEMAS[rule.kind]
        : alertRuleSchema;
      const parsed = schema.parse({ ...rule, id: randomUUID(), userId, createdAtUs: createdAtUs ?? clock() });
      save(userId, [...mine, parsed]);
      return parsed;
    },
    list: (userId) => [...fresh(userId)],
    delete(userId, ruleId) {
      const mine = fresh(userId);
      const kept = mine.filter((r) => r.id !== ruleId);
      if (kept.length === mine.length) return false;
      save(userId, kept);
      return true;
    },
    reload: load,
    rules() {
      all ??= [...byUser.values()].flat();
      return all;
    },
    version: () => version,
  };
}
