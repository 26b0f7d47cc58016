/** Usage ledger, per-tier daily token budgets, and the `log.usage` records. */
export {
  BudgetExceededError,
  type BudgetStatus,
  checkBudget,
  nextUtcMidnight,
  type TierBudgets,
  tierBudgetsSchema,
  UnknownTierError,
} from './budget.ts';
export {
  createUsageLedger,
  type UsageEntry,
  type UsageInput,
  type UsageLedger,
  type UsageLedgerOptions,
  type UsageTotals,
  usageEntrySchema,
  utcDay,
} from './ledger.ts';
export {
  budgetTokens,
  costOf,
  type ModelPrices,
  modelPriceSchema,
  modelPricesSchema,
  type TokenUsage,
} from './prices.ts';
export { toUsageRecord, USAGE_RECORD_HEADERS } from './usage-log.ts';
