import { describe, expect, it } from 'vitest';
import { parseServerMessage } from './server-messages.ts';
import { chartToFollow, isNotOlder, type PageWorkspace, pageWorkspaceSchema } from './workspace-state.ts';

const ws = (chart: PageWorkspace['chart']): PageWorkspace =>
  pageWorkspaceSchema.parse({ workspaceId: 'w', chart, indicators: [], drawings: [], updatedAt: 'x' });
const btc = { exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m' };

describe('chartToFollow', () => {
  it('follows a workspace whose chart changed, not one whose chart stayed (a drawing was added)', () => {
    expect(chartToFollow(ws(btc), ws({ ...btc, period: '1h' }))).toEqual({ ...btc, period: '1h' });
    expect(chartToFollow(ws(btc), ws({ ...btc }))).toBeUndefined();
    expect(chartToFollow(ws(btc), ws(null))).toBeUndefined();
    expect(chartToFollow(ws(null), ws(btc))).toEqual(btc);
  });
});

describe('parseServerMessage', () => {
  it('accepts known message types only', () => {
    expect(parseServerMessage('{"type":"pong"}')).toEqual({ type: 'pong' });
    expect(parseServerMessage('{"type":"other"}')).toBeUndefined();
    expect(parseServerMessage('[1]')).toBeUndefined();
    expect(parseServerMessage('nope')).toBeUndefined();
    expect(parseServerMessage(new Uint8Array([1]))).toBeUndefined();
  });
});

describe('isNotOlder', () => {
  it('refuses a workspace older than the one shown', () => {
    const at = (updatedAt: string) => ({ ...ws(null), updatedAt });
    expect(isNotOlder(undefined, at('2024-01-01T00:00:01.000Z'))).toBe(true);
    expect(isNotOlder(at('2024-01-01T00:00:01.000Z'), at('2024-01-01T00:00:02.000Z'))).toBe(true);
    expect(isNotOlder(at('2024-01-01T00:00:02.000Z'), at('2024-01-01T00:00:01.000Z'))).toBe(false);
  });
});
