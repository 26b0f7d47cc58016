/**
 * The page's alerts (pure): the toasts shown, keyed by alert id, oldest first. A live `alert` adds
 * one; `alerts.unseen` (on every connect) adds those not shown yet, so a reconnect never shows an
 * alert twice; dismissing removes it (the page then tells the server it was seen).
 */
import type { AlertView, ServerMessage } from '../ws/protocol.ts';

/** Most toasts kept on screen; older ones are dropped from view (still unseen on the server). */
export const MAX_TOASTS = 5;

export interface AlertState {
  readonly toasts: readonly AlertView[];
}

export const initialAlertState: AlertState = { toasts: [] };

type AlertMessage = Extract<ServerMessage, { type: 'alert' | 'alerts.unseen' }>;

export function reduceAlerts(
  state: AlertState,
  event: AlertMessage | { type: 'dismiss'; alertId: string },
): AlertState {
  switch (event.type) {
    case 'alert':
    case 'alerts.unseen': {
      const incoming = event.type === 'alert' ? [event.alert] : event.alerts;
      const shown = new Set(state.toasts.map((t) => t.alertId));
      const added = incoming.filter((a) => !shown.has(a.alertId));
      if (added.length === 0) return state;
      return { toasts: [...state.toasts, ...added].slice(-MAX_TOASTS) };
    }
    case 'dismiss':
      return { toasts: state.toasts.filter((t) => t.alertId !== event.alertId) };
  }
}

/** One toast's text: `BTCUSDT · crossed 60000 · 12:03:15 UTC`. */
export function toastText(alert: AlertView): string {
  const time = new Date(Math.floor(alert.timeUs / 1000)).toISOString().slice(11, 19);
  return `${alert.symbol} · ${alert.message} · ${time} UTC`;
}
