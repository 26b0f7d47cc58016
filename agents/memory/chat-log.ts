/**
 * Chat turns as `log.chat` records: one `ChatEvent` (proto/quantforge/v1/control.proto) per
 * message, in an Envelope (event_type `chat`), keyed by user id so one user's log stays ordered.
 * The runtime produces them after appending a turn. Tool calls are logged as
 * `tool_use <name> <input JSON>` (role assistant) and tool results as role `tool`; images appear
 * as the references history keeps.
 */
import type { RequestContext } from '../../mcp-servers/common/context.ts';
import { TOPIC_NAMES } from '../../pipeline/bus/topic-names.ts';
import type { BusRecord } from '../../pipeline/bus/types.ts';
import { ChatEventCodec, EnvelopeCodec, EventType, SCHEMA_VERSION } from '../../proto/index.ts';
import type { HistoryTurn } from './conversation-store.ts';
import type { HistoryBlock, HistoryMessage } from './messages.ts';

function blockText(block: HistoryBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'tool_use':
      return `tool_use ${block.name} ${JSON.stringify(block.input)}`;
    case 'tool_result': {
      const body =
        typeof block.content === 'string'
          ? block.content
          : (block.content ?? []).map((b) => b.text).join('\n');
      return `tool_result ${block.tool_use_id}${block.is_error ? ' (error)' : ''} ${body}`;
    }
  }
}

/** Splits a message into the log's entries: its own text, and its tool results as role `tool`. */
function entriesOf(message: HistoryMessage): { role: string; text: string }[] {
  if (typeof message.content === 'string') return [{ role: message.role, text: message.content }];
  const results = message.content.filter((b) => b.type === 'tool_result');
  const rest = message.content.filter((b) => b.type !== 'tool_result');
  const entries: { role: string; text: string }[] = [];
  if (results.length > 0) entries.push({ role: 'tool', text: results.map(blockText).join('\n') });
  if (rest.length > 0) entries.push({ role: message.role, text: rest.map(blockText).join('\n') });
  return entries;
}

/** The `log.chat` records of a turn, oldest first; each replies to the one before. */
export function toChatLogRecords(context: RequestContext, turn: HistoryTurn): BusRecord[] {
  const atUs = Date.parse(turn.at) * 1000;
  const entries = turn.messages.flatMap(entriesOf);
  return entries.map((entry, index) => {
    const messageId = `${turn.id}:${index}`;
    const payload = ChatEventCodec.encode({
      messageId,
      userId: context.userId,
      workspaceId: context.workspaceId,
      channel: context.channel,
      role: entry.role,
      text: entry.text,
      atUs,
      agent: turn.soul ?? '',
      replyTo: index === 0 ? '' : `${turn.id}:${index - 1}`,
    });
    const value = EnvelopeCodec.encode({
      eventId: `chat:${messageId}`,
      eventType: EventType.chat,
      observedAtUs: atUs,
      ingestedAtUs: atUs,
      schemaVersion: SCHEMA_VERSION,
      payload,
    });
    return { topic: TOPIC_NAMES.logChat, key: context.userId, value };
  });
}
