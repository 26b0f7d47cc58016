/**
 * The usage ledger: every model call, appended as one JSON line to
 * `<dataDir>/agents/<userId>/usage/<YYYY-MM-DD>.jsonl` (UTC day of the call; crash-safe appends,
 * see storage/jsonl-file.ts). One file per user and day keeps a user's totals a small read and
 * users apart. `totals` reads only what was appended since its last read of that file (it keeps
 * the byte offset and the sums), so checking the budget before every call stays cheap, and a
 * record another process appended is still counted.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import type { RequestContext } from '../../mcp-servers/common/context.ts';
import { appendJsonLine, parseJsonLines } from '../storage/jsonl-file.ts';
import { checkId, userDir } from '../storage/paths.ts';
import { createSerialQueue } from '../storage/serial.ts';
import { budgetTokens, costOf, type ModelPrices, type TokenUsage } from './prices.ts';

/** One model call, as recorded. */
export const usageEntrySchema = z.object({
  /** When the call started, ISO 8601 UTC. */
  at: z.string(),
  userId: z.string(),
  workspaceId: z.string(),
  channel: z.string(),
  licence: z.string(),
  soul: z.string(),
  /** Model id that answered (after any fallback). */
  model: z.string(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  /** USD from the price table; null when the model has no price there. */
  costUsd: z.number().nullable(),
  /** Tool names the model called in this response. */
  tools: z.array(z.string()),
  durationMs: z.number().nonnegative(),
  /** A scheduled or background turn (counted like any other). */
  background: z.boolean(),
});
export type UsageEntry = z.output<typeof usageEntrySchema>;

/** What the runtime records after each model call. */
export interface UsageInput {
  readonly context: RequestContext;
  readonly soul: string;
  readonly model: string;
  readonly usage: TokenUsage;
  readonly tools: readonly string[];
  readonly durationMs: number;
  /** When the call started; default: the ledger's clock. */
  readonly at?: Date;
  readonly background?: boolean;
}

/** Sums of one user's day. */
export interface UsageTotals {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  /** What counts against the budget: see `budgetTokens`. */
  readonly tokens: number;
  /** USD of the priced calls. */
  readonly costUsd: number;
  /** Calls whose model had no price (not in `costUsd`). */
  readonly unpricedCalls: number;
}

/** Options of {@link createUsageLedger}. */
export interface UsageLedgerOptions {
  readonly dataDir: string;
  /** Model id -> USD per million tokens (config-like; see prices.ts). */
  readonly prices: ModelPrices;
  /** Default `() => new Date()`. */
  readonly clock?: () => Date;
  /** Told about skipped (torn) lines and unpriced models. */
  readonly logger: Pick<Logger, 'warn'>;
}

/** The ledger of a data directory. */
export interface UsageLedger {
  /** Appends one call; returns the entry as written. */
  record(input: UsageInput): Promise<UsageEntry>;
  /** Sums of `userId`'s calls on a UTC day (`YYYY-MM-DD`, or the day of a Date). */
  totals(userId: string, day: string | Date): Promise<UsageTotals>;
  /** The ledger's clock (budgets use it for "today"). */
  now(): Date;
}

/** `2025-03-01` for any time on that UTC day. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const EMPTY: UsageTotals = {
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  tokens: 0,
  costUsd: 0,
  unpricedCalls: 0,
};

function add(totals: UsageTotals, e: UsageEntry): UsageTotals {
  return {
    calls: totals.calls + 1,
    inputTokens: totals.inputTokens + e.inputTokens,
    outputTokens: totals.outputTokens + e.outputTokens,
    cacheReadTokens: totals.cacheReadTokens + e.cacheReadTokens,
    cacheWriteTokens: totals.cacheWriteTokens + e.cacheWriteTokens,
    tokens:
      totals.tokens +
      budgetTokens({
        input: e.inputTokens,
        output: e.outputTokens,
        cacheRead: e.cacheReadTokens,
        cacheWrite: e.cacheWriteTokens,
      }),
    costUsd: totals.costUsd + (e.costUsd ?? 0),
    unpricedCalls: totals.unpricedCalls + (e.costUsd === null ? 1 : 0),
  };
}

/** Creates the ledger over `<dataDir>/agents/<userId>/usage/`. */
export function createUsageLedger(options: UsageLedgerOptions): UsageLedger {
  const clock = options.clock ?? (() => new Date());
  const queue = createSerialQueue();
  /** Per file: sums of the whole lines read so far, and the byte offset after them. */
  const read = new Map<string, { offset: number; totals: UsageTotals }>();

  const fileOf = (userId: string, day: string): string =>
    join(userDir(options.dataDir, userId), 'usage', `${day}.jsonl`);

  const onSkipped = (skipped: { file: string; line: number; reason: string }) =>
    options.logger.warn(skipped, 'usage line skipped');

  /** Reads what was appended to `file` since the last call and adds it to the sums. */
  async function catchUp(file: string): Promise<UsageTotals> {
    let known = read.get(file) ?? { offset: 0, totals: EMPTY };
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      // Smaller than what we read: the file was replaced; start over.
      if (size < known.offset) known = { offset: 0, totals: EMPTY };
      if (size === known.offset) return known.totals;
      const buffer = Buffer.alloc(size - known.offset);
      await handle.read(buffer, 0, buffer.length, known.offset);
      // Only whole lines: a line still being written is read next time.
      const end = buffer.lastIndexOf(0x0a) + 1;
      if (end === 0) return known.totals;
      const entries = parseJsonLines(
        buffer.subarray(0, end).toString('utf8'),
        usageEntrySchema,
        file,
        onSkipped,
      );
      const next = { offset: known.offset + end, totals: entries.reduce(add, known.totals) };
      read.set(file, next);
      return next.totals;
    } finally {
      await handle.close();
    }
  }

  return {
    now: clock,

    async record(input) {
      const at = input.at ?? clock();
      const { context } = input;
      checkId('workspaceId', context.workspaceId);
      const costUsd = costOf(options.prices, input.model, input.usage);
      if (costUsd === null) {
        options.logger.warn(
          { model: input.model, known: Object.keys(options.prices) },
          'model has no price in the price table; its cost is recorded as null',
        );
      }
      const entry: UsageEntry = usageEntrySchema.parse({
        at: at.toISOString(),
        userId: context.userId,
        workspaceId: context.workspaceId,
        channel: context.channel,
        licence: context.licence,
        soul: input.soul,
        model: input.model,
        inputTokens: input.usage.input,
        outputTokens: input.usage.output,
        cacheReadTokens: input.usage.cacheRead,
        cacheWriteTokens: input.usage.cacheWrite,
        costUsd,
        tools: [...input.tools],
        durationMs: input.durationMs,
        background: input.background ?? false,
      });
      const file = fileOf(context.userId, utcDay(at));
      await queue.run(file, () => appendJsonLine(file, entry));
      return entry;
    },

    async totals(userId, day) {
      const dayText = typeof day === 'string' ? day : utcDay(day);
      if (!DAY.test(dayText)) {
        throw new InvalidInputError('day', `expected YYYY-MM-DD (UTC), got "${dayText}"`);
      }
      const file = fileOf(userId, dayText);
      return queue.run(file, () => catchUp(file));
    },
  };
}
