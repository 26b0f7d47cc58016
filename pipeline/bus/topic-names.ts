/**
 * Bus topic names: the constants every module uses instead of writing a name out.
 * deploy/topics.yaml declares the topics (partitions, retention, key, schema) and is where a
 * topic is created from; topic-names.test.ts fails when a name here is not declared there or a
 * declared topic has no name here.
 */

/** Every fixed-name bus topic, by role. */
export const TOPIC_NAMES = {
  normTrade: 'norm.trade',
  normTradeSequenced: 'norm.trade.sequenced',
  normKline: 'norm.kline',
  normTicker: 'norm.ticker',
  normBookTop: 'norm.book_top',
  bars1m: 'bars.1m',
  barsDerived: 'bars.derived',
  barsLate: 'bars.late',
  barsIndicators: 'bars.indicators',
  alerts: 'alerts',
  cmdBackfill: 'cmd.backfill',
  execBackfill: 'exec.backfill',
  logChat: 'log.chat',
  logChatPro: 'log.chat.pro',
  logChatLocal: 'log.chat.local',
  logUsage: 'log.usage',
  logStrategy: 'log.strategy',
  logExecution: 'log.execution',
  stateDedup: 'state.dedup',
  stateSequencer: 'state.sequencer',
  stateBars: 'state.bars',
  stateAlerts: 'state.alerts',
} as const;

/** A fixed-name bus topic. */
export type TopicName = (typeof TOPIC_NAMES)[keyof typeof TOPIC_NAMES];

/** The raw topics' name in deploy/topics.yaml, expanded over venues and streams there. */
export const RAW_TOPIC_TEMPLATE = 'raw.{venue}.{stream}';

/** The raw topic of a venue stream: `rawTopicName('BINANCE_USDM', 'trade')` -> `raw.binance_usdm.trade`. */
export function rawTopicName(venue: string, stream: string): string {
  return `raw.${venue.toLowerCase()}.${stream}`;
}

/**
 * The chat-log topic of a licence tier: `log.chat.<tier>` where deploy/topics.yaml declares one
 * (its retention is the tier's), else `log.chat`.
 */
export function chatLogTopic(licence: string, declared: ReadonlySet<string>): string {
  const own = `${TOPIC_NAMES.logChat}.${licence}`;
  return declared.has(own) ? own : TOPIC_NAMES.logChat;
}

/** Head of every dead-letter topic: `dlq.<topic>`. */
export const DLQ_PREFIX = 'dlq.';

/** The dead-letter topic of a topic. */
export function deadLetterTopic(topic: string): string {
  return `${DLQ_PREFIX}${topic}`;
}
