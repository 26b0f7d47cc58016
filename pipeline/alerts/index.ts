/**
 * Alerts: rules a user sets (rules.ts), a deterministic evaluator over the live stream
 * (evaluator.ts, patterns.ts), the per-user rule store (store.ts) and the exactly-once bus
 * stage that fires them to the `alerts` topic (stage.ts). See README.md beside it.
 */

export {
  ALERTS_DELIVERY_GROUP,
  type AlertDeliverer,
  type AlertDelivererDeps,
  type AlertDelivererStats,
  type AlertSink,
  type DeliveredAlert,
  readAlert,
  startAlertDeliverer,
} from './deliverer.ts';
export { createDeliveryLedger, type DeliveryLedger, deliveryLedgerDir } from './delivery-ledger.ts';
export {
  type AlertBar,
  type AlertEvaluator,
  type AlertFire,
  alertIdOf,
  createAlertEvaluator,
} from './evaluator.ts';
export { CANDLE_PATTERNS, type Candle, type CandlePattern, matchesPattern } from './patterns.ts';
export { type AlertRuleWatchOptions, watchAlertRules } from './rule-watch.ts';
export {
  ALERT_RULE_KINDS,
  ALERT_RULE_SCHEMAS,
  type AlertRule,
  type AlertRuleInput,
  type AlertRuleKind,
  alertRuleSchema,
  isTradeRule,
  type LineAnchor,
  lineAnchorSchema,
  linePriceAt,
} from './rules.ts';
export {
  ALERTS_STAGE_GROUP,
  ALERTS_TOPICS,
  type AlertRuleSource,
  type AlertsStage,
  type AlertsStageDeps,
  type AlertsStageStats,
  alertRecord,
  createAlertsStage,
} from './stage.ts';
export {
  AlertLimitError,
  type AlertRuleStore,
  type AlertRuleStoreOptions,
  createAlertRuleStore,
  type NewAlertRule,
} from './store.ts';
