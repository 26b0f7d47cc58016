import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSendQueue, sendIntervalMs } from './rate-limit.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('send queue', () => {
  it('keeps one message per second free for pongs', () => {
    expect(sendIntervalMs(5)).toBe(250);
    expect(sendIntervalMs(10)).toBe(112);
  });

  it('never sends more than the limit within any second, in order', () => {
    vi.useFakeTimers({ now: 0 });
    const sent: { text: string; at: number }[] = [];
    const q = createSendQueue({
      maxMessagesPerSecond: 5,
      send: (text) => {
        sent.push({ text, at: Date.now() });
        return true;
      },
    });
    for (let i = 0; i < 9; i++) q.push(`m${i}`);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(5000);
    expect(sent.map((s) => s.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
    for (const s of sent) {
      expect(sent.filter((t) => t.at >= s.at && t.at < s.at + 1000).length).toBeLessThanOrEqual(4);
    }
    q.push('late');
    expect(sent.at(-1)!.text).toBe('late'); // the queue was idle long enough: sent at once
  });

  it('clear drops what waits', () => {
    vi.useFakeTimers({ now: 0 });
    const sent: string[] = [];
    const q = createSendQueue({ maxMessagesPerSecond: 5, send: (t) => sent.push(t) > 0 });
    q.push('a');
    q.push('b');
    q.clear();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['a']);
    expect(q.size()).toBe(0);
  });
});
