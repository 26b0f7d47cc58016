import { describe, expect, it } from 'vitest';
import { TOPIC_NAMES } from '../../pipeline/bus/topic-names.ts';
import { ChatEventCodec, EnvelopeCodec, EventType } from '../../proto/index.ts';
import { toChatLogRecords } from '../memory/chat-log.ts';
import { toHistoryMessages } from '../memory/messages.ts';
import { contextOf } from '../testing/memory-fixtures.ts';
import { usageEntrySchema } from './ledger.ts';
import { toUsageRecord } from './usage-log.ts';

describe('bus records', () => {
  it('a usage entry goes to log.usage keyed by user, as JSON', () => {
    const entry = usageEntrySchema.parse({
      at: '2025-03-01T12:00:00.000Z',
      userId: 'alice',
      workspaceId: 'main',
      channel: 'telegram',
      licence: 'pro',
      soul: 'chartist',
      model: 'claude-x',
      inputTokens: 1,
      outputTokens: 2,
      cacheReadTokens: 3,
      cacheWriteTokens: 4,
      costUsd: 0.5,
      tools: [],
      durationMs: 10,
      background: false,
    });
    const record = toUsageRecord(entry);
    expect(record.topic).toBe(TOPIC_NAMES.logUsage);
    expect(record.key).toBe('alice');
    expect(usageEntrySchema.parse(JSON.parse(Buffer.from(record.value).toString('utf8')))).toEqual(entry);
  });

  it('a turn goes to log.chat as ChatEvents keyed by user, tool calls and results included', () => {
    const messages = toHistoryMessages([
      { role: 'user', content: 'price of BTC?' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 't1', name: 'get_bars', input: { symbol: 'BTCUSDT' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'close 61837.63' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'BTC closed at 61837.63' }] },
    ]);
    const turn = { id: 'turn1', at: '2025-03-01T12:00:00.000Z', soul: 'coordinator', messages };
    const records = toChatLogRecords(contextOf('alice'), turn);
    expect(records.map((r) => [r.topic, r.key])).toEqual(Array(4).fill([TOPIC_NAMES.logChat, 'alice']));
    const events = records.map((r) => {
      const envelope = EnvelopeCodec.decode(r.value);
      expect(envelope.eventType).toBe(EventType.chat);
      return ChatEventCodec.decode(envelope.payload);
    });
    expect(events.map((e) => [e.role, e.text])).toEqual([
      ['user', 'price of BTC?'],
      ['assistant', 'tool_use get_bars {"symbol":"BTCUSDT"}'],
      ['tool', 'tool_result t1 close 61837.63'],
      ['assistant', 'BTC closed at 61837.63'],
    ]);
    expect(events[3]).toMatchObject({
      userId: 'alice',
      workspaceId: 'main',
      channel: 'web',
      agent: 'coordinator',
      replyTo: 'turn1:2',
    });
    expect(Number(events[0]!.atUs)).toBe(Date.parse(turn.at) * 1000);
  });
});
