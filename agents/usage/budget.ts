/**
 * Daily token budgets per licence tier, checked BEFORE each model call (interactive, scheduled or
 * background alike: every call is in the ledger, and the check reads the ledger).
 *
 * Budgets come as input, from the config's owner: `Record<tier, { dailyTokens: number }>`, e.g.
 * `{ free: { dailyTokens: 200_000 }, pro: { dailyTokens: 5_000_000 } }`. `dailyTokens` counts
 * `budgetTokens` (input + output + cache reads + cache writes) per UTC day; 0 allows no calls;
 * `Infinity` allows any. A tier with no entry is refused (fail closed), naming the known tiers.
 */
import { z } from 'zod';
import { QuantForgeError } from '../../core/errors.ts';
import type { RequestContext } from '../../mcp-servers/common/context.ts';
import type { UsageLedger } from './ledger.ts';
import { utcDay } from './ledger.ts';

/** The budgets' shape, for whoever composes the config. */
export const tierBudgetsSchema = z.record(
  z.string().min(1),
  z.object({ dailyTokens: z.number().nonnegative().describe('tokens per user per UTC day') }),
);
export type TierBudgets = z.output<typeof tierBudgetsSchema>;

/** The user has used the day's budget; the message is meant for them as it is. */
export class BudgetExceededError extends QuantForgeError {
  override readonly name: string = 'BudgetExceededError';
  readonly userId: string;
  readonly tier: string;
  readonly used: number;
  readonly limit: number;
  /** Next UTC midnight. */
  readonly resetsAt: Date;

  constructor(fields: {
    userId: string;
    tier: string;
    used: number;
    limit: number;
    resetsAt: Date;
    now: Date;
  }) {
    super(budgetMessage(fields));
    this.userId = fields.userId;
    this.tier = fields.tier;
    this.used = fields.used;
    this.limit = fields.limit;
    this.resetsAt = fields.resetsAt;
  }
}

/** The licence tier has no budget; the message names the tiers that have one. */
export class UnknownTierError extends QuantForgeError {
  override readonly name: string = 'UnknownTierError';
}

/** Where the user stands today. */
export interface BudgetStatus {
  readonly tier: string;
  readonly used: number;
  readonly limit: number;
  readonly remaining: number;
  readonly resetsAt: Date;
}

/** The next UTC midnight after `now`. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function budgetMessage(f: { tier: string; used: number; limit: number; resetsAt: Date; now: Date }): string {
  const minutes = Math.ceil((f.resetsAt.getTime() - f.now.getTime()) / 60_000);
  const wait = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return (
    `You have used ${fmt(f.used)} of the ${fmt(f.limit)} tokens your ${f.tier} plan allows per day, ` +
    `so I can't answer right now. The budget resets at 00:00 UTC (${f.resetsAt.toISOString()}), in ${wait}.`
  );
}

/**
 * Resolves when `context`'s user may make a model call now; throws {@link BudgetExceededError}
 * (with the reset time) when today's usage has reached the tier's `dailyTokens`.
 */
export async function checkBudget(
  ledger: UsageLedger,
  budgets: TierBudgets,
  context: RequestContext,
  now: Date = ledger.now(),
): Promise<BudgetStatus> {
  const budget = budgets[context.licence];
  if (budget === undefined) {
    throw new UnknownTierError(
      `licence tier "${context.licence}" has no daily token budget; tiers with one: ${Object.keys(budgets).join(', ') || '(none)'}`,
    );
  }
  const used = (await ledger.totals(context.userId, utcDay(now))).tokens;
  const resetsAt = nextUtcMidnight(now);
  if (used >= budget.dailyTokens) {
    throw new BudgetExceededError({
      userId: context.userId,
      tier: context.licence,
      used,
      limit: budget.dailyTokens,
      resetsAt,
      now,
    });
  }
  return {
    tier: context.licence,
    used,
    limit: budget.dailyTokens,
    remaining: budget.dailyTokens - used,
    resetsAt,
  };
}
