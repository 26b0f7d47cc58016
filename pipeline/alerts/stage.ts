/**
 * The alerts stage: norm.trade.sequenced, bars.1m and bars.derived in, fired alerts out to
 * `alerts`, EXACTLY ONCE. It is a consume-transform-produce stage like the trade processor: a
 * batch's alerts, the evaluator state it changed (compacted `state.alerts`, one record per rule
 * or bar history) and the batch's input offsets commit in ONE bus transaction. A process killed
 * between consuming a crossing and committing leaves nothing visible; its successor restores the
 * state as of the last commit and sees the crossing again, firing it once.
 *
 * Each state key is only ever changed by one input partition (a trade rule by its symbol's
 * partition of norm.trade.sequenced, a bar rule and its bar history by that symbol's partition
 * of its bars topic), so a redelivered batch restores just the keys its partition last wrote.
 * Alerts also carry a deterministic id (hash of rule id and trigger: the trade's series seq or
 * the bar's open time) as their envelope event id, so a consumer delivering them at least once
 * (Telegram, the web page) can drop a repeat by id.
 *
 * Alerts are keyed VENUE:SYMBOL, as deploy/topics.yaml declares the topic (one series' alerts stay
 * in order; a deliverer groups them per user from the payload).
 */
import type { Logger } from '../../core/logger.ts';
import { AlertCodec, BarCodec, EnvelopeCodec, EventType, SCHEMA_VERSION } from '../../proto/index.ts';
import {
  createTradeEnvelopeReader,
  MalformedEnvelopeError,
  type TradeEnvelope,
} from '../../proto/trade-envelope.ts';
import { TOPIC_NAMES } from '../bus/topic-names.ts';
import type { Bus, BusBatch, BusRecord, Subscription } from '../bus/types.ts';
import { createRedeliveryGuard } from '../processors/shell/redelivery.ts';
import { type AlertFire, createAlertEvaluator } from './evaluator.ts';
import type { AlertRule } from './rules.ts';

/** Consumer group and transactional id prefix of the alerts stage. */
export const ALERTS_STAGE_GROUP = 'qf-alerts';

/** The topics the alerts stage reads and writes. */
export const ALERTS_TOPICS = {
  sequenced: TOPIC_NAMES.normTradeSequenced,
  bars1m: TOPIC_NAMES.bars1m,
  barsDerived: TOPIC_NAMES.barsDerived,
  alerts: TOPIC_NAMES.alerts,
  state: TOPIC_NAMES.stateAlerts,
} as const;

/** Where the stage gets its rules; `version()` changes whenever the set does. */
export interface AlertRuleSource {
  rules(): readonly AlertRule[];
  version(): number;
}

export interface AlertsStageDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly rules: AlertRuleSource;
  /** Current time, epoch µs (the alert's ingested-at); default wall clock. */
  readonly clock?: () => number;
}

export interface AlertsStageStats {
  fired: number;
  skipped: number;
}

export interface AlertsStage {
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): AlertsStageStats;
}

/** The alert record of a fire: Envelope{event_type "alert", event_id = alert id, payload Alert}. */
export function alertRecord(fire: AlertFire, nowUs: number): BusRecord {
  const r = fire.rule;
  const payload = AlertCodec.encode({
    alertId: fire.alertId,
    ruleId: r.id,
    userId: r.userId,
    workspaceId: r.workspaceId,
    venue: r.venue,
    symbol: r.symbol,
    kind: r.kind,
    message: fire.message,
    value: String(fire.value),
    threshold: String(fire.threshold),
    triggeredAtUs: fire.timeUs,
    severity: 'info',
  });
  const value = EnvelopeCodec.encode({
    eventId: fire.alertId,
    eventType: EventType.alert,
    venue: r.venue,
    symbol: r.symbol,
    observedAtUs: fire.timeUs,
    ingestedAtUs: nowUs,
    schemaVersion: SCHEMA_VERSION,
    payload,
  });
  return {
    topic: ALERTS_TOPICS.alerts,
    key: `${r.venue}:${r.symbol}`,
    value,
    headers: { 'qf-alert-trigger': fire.trigger },
  };
}

/** Builds the alerts stage. */
export function createAlertsStage(deps: AlertsStageDeps): AlertsStage {
  const { bus, logger } = deps;
  const T = ALERTS_TOPICS;
  const evaluator = createAlertEvaluator();
  const guard = createRedeliveryGuard();
  const reader = createTradeEnvelopeReader();
  const stats: AlertsStageStats = { fired: 0, skipped: 0 };
  /** The input partition (`topic/partition`) that last changed each state key. */
  const owners = new Map<string, string>();
  let rulesVersion = Number.NaN;
  let subscription: Subscription | undefined;
  /** Input partitions whose batch threw after changing state: restored before their next batch. */
  const dirty = new Set<string>();
  // The reader fills one envelope again and again, and one getter reads its price: a trade of a
  // symbol without rules makes no string.
  let current: TradeEnvelope | undefined;
  const price = () => (current === undefined ? Number.NaN : Number(current.trade.price));

  function syncRules(): void {
    const v = deps.rules.version();
    if (v === rulesVersion) return;
    evaluator.setRules(deps.rules.rules());
    rulesVersion = v;
  }

  /** Every key back to its committed state (start, rebalance). */
  async function restoreAll(): Promise<void> {
    rulesVersion = Number.NaN;
    syncRules();
    const committed = await bus.readCompacted(T.state);
    for (const key of owners.keys()) evaluator.restore(key, undefined);
    owners.clear();
    dirty.clear();
    for (const [key, bytes] of committed) evaluator.restore(key, bytes);
    guard.reset();
    logger.info({ keys: committed.size }, 'alerts stage: state restored');
  }

  /** The keys `batch`'s partition changed back to their committed state (a redelivery). */
  async function restorePartition(owner: string): Promise<void> {
    const committed = await bus.readCompacted(T.state);
    for (const [key, by] of owners) {
      if (by !== owner) continue;
      evaluator.restore(key, committed.get(key));
      owners.delete(key);
    }
  }

  async function handle(batch: BusBatch, owner: string): Promise<readonly BusRecord[]> {
    syncRules();
    const fires: AlertFire[] = [];
    const isTrades = batch.topic === T.sequenced;
    for (const message of batch.messages) {
      if (isTrades) {
        try {
          current = reader.read(message.value);
        } catch (error) {
          if (!(error instanceof MalformedEnvelopeError)) throw error;
          stats.skipped++;
          continue;
        }
        if (current.eventType !== EventType.trade && current.eventType !== EventType.aggTrade) continue;
        evaluator.onTrade(current.venue, current.symbol, current.seq, current.trade.timeUs, price, fires);
        continue;
      }
      let bar: ReturnType<typeof BarCodec.decode>;
      let venue: string;
      let symbol: string;
      try {
        const envelope = EnvelopeCodec.decode(message.value);
        if (envelope.eventType !== EventType.bar) continue;
        bar = BarCodec.decode(envelope.payload);
        venue = envelope.venue;
        symbol = envelope.symbol;
      } catch {
        stats.skipped++;
        continue;
      }
      if (!bar.final) continue;
      evaluator.onBar(
        {
          venue,
          symbol,
          period: bar.period,
          openTimeUs: Number(bar.openTimeUs),
          closeTimeUs: Number(bar.closeTimeUs),
          open: Number(bar.open),
          high: Number(bar.high),
          low: Number(bar.low),
          close: Number(bar.close),
          volume: Number(bar.volume),
        },
        fires,
      );
    }
    const nowUs = deps.clock ? deps.clock() : Date.now() * 1000;
    const out: BusRecord[] = [];
    for (const fire of fires) out.push(alertRecord(fire, nowUs));
    stats.fired += fires.length;
    for (const key of evaluator.takeChanged()) {
      owners.set(key, owner);
      const value = evaluator.snapshot(key);
      if (value !== undefined) out.push({ topic: T.state, key, value });
    }
    return out;
  }

  return {
    async start() {
      await restoreAll();
      subscription = await bus.transform({
        groupId: ALERTS_STAGE_GROUP,
        topics: [T.sequenced, T.bars1m, T.barsDerived],
        transactionalIdPrefix: ALERTS_STAGE_GROUP,
        fromBeginning: true,
        onAssigned: restoreAll,
        async handler(batch) {
          const owner = `${batch.topic}/${batch.partition}`;
          for (const d of dirty) await restorePartition(d);
          dirty.clear();
          if (guard.isRedelivery(batch)) await restorePartition(owner);
          try {
            const out = await handle(batch, owner);
            guard.processed(batch);
            return out;
          } catch (error) {
            dirty.add(owner);
            throw error;
          }
        },
      });
    },
    async stop() {
      await subscription?.stop();
      subscription = undefined;
    },
    stats: () => ({ ...stats }),
  };
}
