/// <reference lib="dom" />
/**
 * The Alerts popover of the top bar (DOM only): the user's rules with a delete button each, the
 * "price crosses <level>" form and the "alert on cross" action for the selected drawing. What to
 * send and what to show is decided by alert-rules.ts; main.ts calls the API.
 */
import { type AlertList, ruleRowText, usageText } from './alert-rules.ts';

export interface AlertsPanelElements {
  readonly toggle: HTMLButtonElement;
  readonly panel: HTMLElement;
  readonly usage: HTMLElement;
  readonly form: HTMLFormElement;
  readonly level: HTMLInputElement;
  readonly drawing: HTMLButtonElement;
  readonly error: HTMLElement;
  readonly list: HTMLElement;
}

export interface AlertsPanelHandlers {
  /** The popover opened: refresh the list and call {@link AlertsPanel.prepare}. */
  readonly onOpen: () => void;
  readonly onLevel: (levelText: string) => void;
  readonly onDrawing: () => void;
  readonly onDelete: (ruleId: string) => void;
}

export interface AlertsPanel {
  /** On opening: the level's prefill and the drawing action's label (undefined: hidden). */
  prepare(levelPrefill: string, drawingLabel: string | undefined): void;
  showList(list: AlertList): void;
  /** A problem to show in the panel; empty clears it. */
  error(text: string): void;
}

export function createAlertsPanel(el: AlertsPanelElements, handlers: AlertsPanelHandlers): AlertsPanel {
  const setOpen = (open: boolean): void => {
    el.panel.hidden = !open;
    el.toggle.setAttribute('aria-expanded', String(open));
    if (open) handlers.onOpen();
  };
  el.toggle.addEventListener('click', () => setOpen(el.panel.hidden));
  el.panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      setOpen(false);
      el.toggle.focus();
    }
  });
  el.form.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.onLevel(el.level.value);
  });
  el.drawing.addEventListener('click', handlers.onDrawing);

  return {
    prepare(levelPrefill, drawingLabel) {
      el.level.value = levelPrefill;
      el.drawing.hidden = drawingLabel === undefined;
      el.drawing.textContent = drawingLabel ?? '';
      el.error.hidden = true;
    },
    showList(list) {
      el.usage.textContent = usageText(list);
      el.toggle.dataset.count = String(list.used);
      el.list.replaceChildren(
        ...list.alerts.map((rule) => {
          const item = document.createElement('li');
          item.dataset.ruleId = rule.id;
          const text = document.createElement('span');
          text.textContent = ruleRowText(rule);
          text.title = `from ${rule.createdAt}${rule.note ? ` · ${rule.note}` : ''}`;
          const remove = document.createElement('button');
          remove.type = 'button';
          remove.title = 'Delete this alert';
          remove.textContent = '✕';
          remove.addEventListener('click', () => handlers.onDelete(rule.id));
          item.append(text, remove);
          return item;
        }),
      );
      if (list.alerts.length === 0) {
        const empty = document.createElement('li');
        empty.className = 'empty';
        empty.textContent = 'No alerts yet.';
        el.list.append(empty);
      }
    },
    error(text) {
      el.error.textContent = text;
      el.error.hidden = text === '';
    },
  };
}
