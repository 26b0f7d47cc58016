/// <reference lib="dom" />
/**
 * The chat panel (DOM): renders {@link ChatState} into the message list, re-rendering only the
 * items that changed (streaming deltas touch one), and hands sent text to `onSend`.
 */
import { type AnswerPart, type ChatItem, type ChatState, safeImageUrl } from './chat-state.ts';

export interface ChatPanelElements {
  readonly log: HTMLOListElement;
  readonly notice: HTMLElement;
  readonly form: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  readonly send: HTMLButtonElement;
}

export interface ChatPanel {
  render(state: ChatState, connected: boolean): void;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderPart(part: AnswerPart): HTMLElement {
  switch (part.kind) {
    case 'text':
      return el('div', 'text', part.text);
    case 'tool':
      return el('div', `tool ${part.state}`, `${part.name} — ${part.state}`);
    case 'image': {
      const url = safeImageUrl(part.url, location.origin);
      if (url === undefined) return el('div', 'failed', `(image refused: ${part.url})`);
      const img = el('img');
      img.src = url;
      img.alt = 'chart image from the agent';
      img.loading = 'lazy';
      return img;
    }
  }
}

function renderItem(item: ChatItem): HTMLLIElement {
  switch (item.kind) {
    case 'user':
      return el('li', 'user', item.text);
    case 'notice':
      return el('li', 'notice', item.text);
    case 'answer': {
      const li = el('li', 'answer');
      if (item.soul) li.append(el('div', 'soul', item.soul));
      const body = el('div', item.status === 'streaming' ? 'body streaming' : 'body');
      body.append(...item.parts.map(renderPart));
      li.append(body);
      if (item.status === 'error') li.append(el('div', 'failed', `Error: ${item.error ?? 'unknown'}`));
      if (item.status === 'interrupted') li.append(el('div', 'failed', '(interrupted)'));
      return li;
    }
  }
}

export function createChatPanel(
  elements: ChatPanelElements,
  onSend: (text: string) => void,
  onCancel: () => void,
): ChatPanel {
  const { log, notice, form, input, send } = elements;
  /** The item each rendered row shows, by position (items only ever append). */
  let shown: ChatItem[] = [];
  let busy = false;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) {
      onCancel();
      return;
    }
    const text = input.value.trim();
    if (text === '') return;
    onSend(text);
    input.value = '';
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  return {
    render(state, connected) {
      busy = state.busy;
      const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      const rows = log.children;
      for (let i = 0; i < state.items.length; i++) {
        const item = state.items[i]!;
        if (shown[i] === item) continue;
        const row = renderItem(item);
        const old = rows[i];
        if (old) old.replaceWith(row);
        else log.append(row);
      }
      shown = [...state.items];
      if (atBottom) log.scrollTop = log.scrollHeight;

      const off = state.available === false;
      notice.hidden = !off;
      notice.textContent = off
        ? `Chat is off: ${state.unavailableWhy ?? 'no model configured'}. The chart keeps working.`
        : '';
      input.disabled = off || !connected;
      send.disabled = off || (!connected && !busy);
      send.textContent = busy ? 'Stop' : 'Send';
    },
  };
}
