/// <reference lib="dom" />
/** The alert toasts (DOM): one item per shown alert, each with a dismiss button. */
import type { AlertView } from '../ws/protocol.ts';
import { toastText } from './alert-state.ts';

export interface AlertToasts {
  render(toasts: readonly AlertView[]): void;
}

export function createAlertToasts(list: HTMLElement, onDismiss: (alertId: string) => void): AlertToasts {
  return {
    render(toasts) {
      list.replaceChildren(
        ...toasts.map((alert) => {
          const item = document.createElement('li');
          item.className = 'alert-toast';
          item.dataset.alertId = alert.alertId;
          const text = document.createElement('span');
          text.textContent = `🔔 ${toastText(alert)}`;
          const close = document.createElement('button');
          close.type = 'button';
          close.title = 'Dismiss (marks it seen)';
          close.textContent = '✕';
          close.addEventListener('click', () => onDismiss(alert.alertId));
          item.append(text, close);
          return item;
        }),
      );
    },
  };
}
