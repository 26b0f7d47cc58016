/**
 * The alert deliverer: reads the `alerts` topic (its own consumer group, at least once) and hands
 * each alert to every channel's {@link AlertSink}, EXACTLY ONCE per (alert id, channel):
 *
 * - a pair is recorded in the durable {@link DeliveryLedger} right after its sink accepted it,
 *   and the batch's offsets commit only after every pair of the batch is recorded;
 * - a restart, a rebalance or a failed sink makes the bus deliver the batch again; pairs already
 *   recorded are skipped, so only what was not delivered is sent (nothing twice, nothing lost);
 * - the one window left is a crash after a sink accepted and before the ledger line is written:
 *   a sink closes it by being idempotent on `alertId` (the web inbox keeps alerts by id; the
 *   Telegram queue keeps the ids it sent).
 *
 * A sink that throws stops the batch (redelivered, the bus backs off), so a channel that is down
 * delays its alerts rather than dropping them; a user without that channel is the sink's to skip
 * (resolve without sending). Unreadable records go to `dlq.alerts`.
 */
import type { Logger } from '../../core/logger.ts';
import { AlertCodec, EnvelopeCodec, EventType } from '../../proto/index.ts';
import { TOPIC_NAMES } from '../bus/topic-names.ts';
import type { Bus, BusBatch, Subscription } from '../bus/types.ts';
import type { DeliveryLedger } from './delivery-ledger.ts';

/** Consumer group of the deliverer. */
export const ALERTS_DELIVERY_GROUP = 'qf-alerts-delivery';

/** A fired alert as the channels get it. */
export interface DeliveredAlert {
  readonly alertId: string;
  readonly ruleId: string;
  readonly userId: string;
  readonly workspaceId: string;
  readonly venue: string;
  readonly symbol: string;
  readonly kind: string;
  readonly message: string;
  readonly value: number;
  readonly threshold: number;
  /** Event time of the trigger, epoch µs. */
  readonly triggeredAtUs: number;
}

/**
 * One delivery channel (the web page, Telegram…). `deliver` resolves once the channel holds the
 * alert (or the user has no such channel); it throws to have the alert retried. It may be called
 * again with an alert it already accepted (crash before the ledger write): where the channel
 * allows, it does nothing the second time.
 */
export interface AlertSink {
  /** Channel name, recorded with each delivery: `web`, `telegram`. Stable across restarts. */
  readonly channel: string;
  deliver(alert: DeliveredAlert): Promise<void>;
}

export interface AlertDelivererDeps {
  readonly bus: Bus;
  readonly ledger: DeliveryLedger;
  readonly sinks: readonly AlertSink[];
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

export interface AlertDelivererStats {
  /** (alert, channel) pairs delivered by this process. */
  delivered: number;
  /** Pairs read again and skipped (already in the ledger). */
  repeated: number;
  /** Unreadable records dead-lettered. */
  refused: number;
}

export interface AlertDeliverer {
  stats(): AlertDelivererStats;
  stop(): Promise<void>;
}

/** The alert carried by an `alerts` record, or undefined when the record is not one. */
export function readAlert(value: Uint8Array): DeliveredAlert | undefined {
  const envelope = EnvelopeCodec.decode(value);
  if (envelope.eventType !== EventType.alert) return undefined;
  const a = AlertCodec.decode(envelope.payload);
  return {
    alertId: a.alertId,
    ruleId: a.ruleId,
    userId: a.userId,
    workspaceId: a.workspaceId,
    venue: a.venue,
    symbol: a.symbol,
    kind: a.kind,
    message: a.message,
    value: Number(a.value),
    threshold: Number(a.threshold),
    triggeredAtUs: Number(a.triggeredAtUs),
  };
}

/** Starts the deliverer; resolves once its consumer has joined. */
export async function startAlertDeliverer(deps: AlertDelivererDeps): Promise<AlertDeliverer> {
  const { bus, ledger, sinks, logger } = deps;
  const stats: AlertDelivererStats = { delivered: 0, repeated: 0, refused: 0 };

  async function handle(batch: BusBatch): Promise<void> {
    for (const message of batch.messages) {
      let alert: DeliveredAlert | undefined;
      try {
        alert = readAlert(message.value);
      } catch (error) {
        stats.refused++;
        await bus.deadLetter(message, {
          code: 'malformed_alert',
          message: String(error),
          source: 'alerts.deliverer',
        });
        continue;
      }
      if (alert === undefined) continue;
      for (const sink of sinks) {
        if (ledger.has(alert.userId, alert.alertId, sink.channel)) {
          stats.repeated++;
          continue;
        }
        await sink.deliver(alert);
        ledger.record(alert.userId, alert.alertId, sink.channel);
        stats.delivered++;
      }
    }
  }

  const subscription: Subscription = await bus.subscribe({
    groupId: ALERTS_DELIVERY_GROUP,
    topics: [TOPIC_NAMES.alerts],
    // Alerts fired before the deliverer's first start are delivered, not skipped.
    fromBeginning: true,
    handler: handle,
  });
  logger.info({ channels: sinks.map((s) => s.channel) }, 'alerts: deliverer running');
  return {
    stats: () => ({ ...stats }),
    stop: () => subscription.stop(),
  };
}
