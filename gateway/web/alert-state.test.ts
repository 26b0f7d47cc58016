import { describe, expect, it } from 'vitest';
import type { AlertView } from '../ws/protocol.ts';
import { initialAlertState, MAX_TOASTS, reduceAlerts, toastText } from './alert-state.ts';

const alert = (n: number): AlertView => ({
  alertId: `a${n}`,
  ruleId: 'r',
  exchange: 'BINANCE',
  symbol: 'BTCUSDT',
  kind: 'price_level',
  message: `crossed ${n}`,
  value: n,
  threshold: n,
  timeUs: Date.UTC(2030, 0, 1, 12, 3, 15) * 1000,
});

describe('page alerts', () => {
  it('shows each alert once across live messages and the unseen list of a reconnect', () => {
    let s = reduceAlerts(initialAlertState, { type: 'alert', alert: alert(1) });
    s = reduceAlerts(s, { type: 'alerts.unseen', alerts: [alert(1), alert(2)] });
    s = reduceAlerts(s, { type: 'alert', alert: alert(2) });
    expect(s.toasts.map((t) => t.alertId)).toEqual(['a1', 'a2']);
    s = reduceAlerts(s, { type: 'dismiss', alertId: 'a1' });
    expect(s.toasts.map((t) => t.alertId)).toEqual(['a2']);
  });

  it('keeps the newest few on screen and words a toast', () => {
    let s = initialAlertState;
    for (let i = 0; i < MAX_TOASTS + 2; i++) s = reduceAlerts(s, { type: 'alert', alert: alert(i) });
    expect(s.toasts.map((t) => t.alertId)).toEqual(['a2', 'a3', 'a4', 'a5', 'a6']);
    expect(toastText(alert(7))).toBe('BTCUSDT · crossed 7 · 12:03:15 UTC');
  });
});
