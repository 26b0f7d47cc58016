import { describe, expect, it } from 'vitest';
import {
  drawingActionLabel,
  drawingAlertRequest,
  levelAlertRequest,
  levelPrefill,
  ruleRowText,
  usageText,
} from './alert-rules.ts';

const btc = { exchange: 'BINANCE', symbol: 'BTCUSDT' };

describe('the Alerts panel logic', () => {
  it('prefills the level with the last price as it came, or nothing', () => {
    expect(levelPrefill('61661.99')).toBe('61661.99');
    expect(levelPrefill(0.0256)).toBe('0.0256');
    expect(levelPrefill(undefined)).toBe('');
    expect(levelPrefill('n/a')).toBe('');
  });

  it('makes a price_level request whose direction is where the level lies from the last price', () => {
    expect(levelAlertRequest(btc, '62,000', '61661.99')).toEqual({
      ...btc,
      kind: 'price_level',
      level: 62_000,
      direction: 'up',
    });
    expect(levelAlertRequest(btc, ' 61000 ', 61_661.99)).toMatchObject({ level: 61_000, direction: 'down' });
    expect(levelAlertRequest(btc, '61000', undefined)).toMatchObject({ direction: 'either' });
    expect(levelAlertRequest(btc, '61000', '61000')).toMatchObject({ direction: 'either' });
    for (const bad of ['', 'abc', '-5', '0'])
      expect(levelAlertRequest(btc, bad, 1)).toEqual({ error: expect.stringMatching(/not a price/) });
  });

  it('alerts on a selected line, ray, rectangle or horizontal line by its id, and says why not otherwise', () => {
    const line = {
      id: 'd3',
      drawing: { type: 'trendline', from: { time: 1, price: 1 }, to: { time: 2, price: 2 } },
    } as const;
    expect(drawingAlertRequest(btc, line)).toEqual({ ...btc, drawing_id: 'd3' });
    expect(drawingActionLabel(line)).toBe('Alert when price crosses the selected trend line (d3)');
    const zone = {
      id: 'd4',
      drawing: { type: 'rect', from: { time: 1, price: 1 }, to: { time: 2, price: 2 } },
    } as const;
    expect(drawingAlertRequest(btc, zone)).toEqual({ ...btc, drawing_id: 'd4' });
    expect(drawingActionLabel({ id: 'd5', drawing: { type: 'hline', price: 3 } })).toMatch(
      /selected line \(d5\)/,
    );
    expect(drawingAlertRequest(btc, undefined)).toEqual({
      error: expect.stringMatching(/^Select a trend line/),
    });
    const vline = { id: 'd6', drawing: { type: 'vline', time: 1 } } as const;
    expect(drawingAlertRequest(btc, vline)).toEqual({ error: expect.stringMatching(/vline has no price/) });
    expect(drawingActionLabel(vline)).toBeUndefined();
    expect(drawingActionLabel(undefined)).toBeUndefined();
  });

  it('writes a rule row and the usage', () => {
    const rule = {
      id: 'r1',
      exchange: 'BINANCE',
      symbol: 'BTCUSDT',
      kind: 'price_level',
      description: 'price crosses 61000 (up)',
      mode: 'once',
      createdAt: '2024-08-09T00:05:05Z',
      expiresAt: null,
      note: null,
    } as const;
    expect(ruleRowText(rule)).toBe('BTCUSDT · price crosses 61000 (up) · once');
    expect(ruleRowText({ ...rule, mode: 'recurring', expiresAt: '2024-09-01T00:00:00Z' })).toBe(
      'BTCUSDT · price crosses 61000 (up) · recurring until 2024-09-01T00:00:00Z',
    );
    expect(usageText({ used: 2, limit: 10 })).toBe('2/10 alerts');
    expect(usageText({ used: 0, limit: 0 })).toMatch(/no alerts/);
  });
});
