/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The top bar (DOM): symbol search over the registry with keyboard navigation (↑ ↓ Enter Esc),
 * the period switcher, the drawing tools, delete-selected and the theme toggle.
 */
import type { DrawingTool } from '../../mcp-servers/charting/view/types.ts';
import { moveHighlight, type SymbolEntry, searchSymbols } from './symbol-search.ts';

/** The periods offered by the switcher. */
export const PAGE_PERIODS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;

export interface TopBarHandlers {
  readonly onSymbol: (entry: SymbolEntry) => void;
  readonly onPeriod: (period: string) => void;
  readonly onTool: (tool: DrawingTool) => void;
  readonly onDeleteSelected: () => void;
  readonly onTheme: () => void;
}

export interface TopBar {
  setSymbols(entries: readonly SymbolEntry[]): void;
  /** Shows the current symbol and period. */
  show(symbol: string, period: string): void;
  setTool(tool: DrawingTool): void;
}

const byId = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
};

export function createTopBar(handlers: TopBarHandlers): TopBar {
  const input = byId<HTMLInputElement>('symbol-input');
  const list = byId<HTMLDivElement>('symbol-list');
  const periods = byId<HTMLFieldSetElement>('periods');
  const tools = byId<HTMLFieldSetElement>('tools');
  let entries: readonly SymbolEntry[] = [];
  let matches: SymbolEntry[] = [];
  let highlight = -1;
  let current = '';

  const close = (): void => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const paint = (): void => {
    list.replaceChildren(
      ...matches.map((entry, i) => {
        const li = document.createElement('div');
        li.id = `symbol-option-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === highlight));
        const name = document.createElement('b');
        name.textContent = entry.symbol;
        const exchange = document.createElement('span');
        exchange.className = 'exchange';
        exchange.textContent = entry.exchange;
        const desc = document.createElement('span');
        desc.className = 'desc';
        desc.textContent = entry.description;
        li.append(name, exchange, desc);
        // mousedown, not click: it lands before the input's blur closes the list.
        li.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(entry);
        });
        return li;
      }),
    );
    list.hidden = matches.length === 0;
    input.setAttribute('aria-expanded', String(!list.hidden));
    if (highlight >= 0) {
      input.setAttribute('aria-activedescendant', `symbol-option-${highlight}`);
      list.children[highlight]?.scrollIntoView({ block: 'nearest' });
    }
  };
  const search = (): void => {
    matches = searchSymbols(entries, input.value);
    highlight = matches.length > 0 ? 0 : -1;
    paint();
  };
  const choose = (entry: SymbolEntry): void => {
    close();
    input.value = entry.symbol;
    input.blur();
    handlers.onSymbol(entry);
  };

  input.addEventListener('focus', () => {
    input.select();
    search();
  });
  input.addEventListener('input', search);
  input.addEventListener('blur', () => {
    close();
    input.value = current;
  });
  input.addEventListener('keydown', (event) => {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        event.preventDefault();
        highlight = moveHighlight(highlight, event.key === 'ArrowDown' ? 1 : -1, matches.length);
        paint();
        break;
      case 'Enter': {
        event.preventDefault();
        const entry = matches[highlight];
        if (entry) choose(entry);
        break;
      }
      case 'Escape':
        input.blur();
        break;
    }
  });

  periods.replaceChildren(
    ...PAGE_PERIODS.map((period) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = period;
      button.dataset.period = period;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => handlers.onPeriod(period));
      return button;
    }),
  );
  for (const button of tools.querySelectorAll<HTMLButtonElement>('button[data-tool]')) {
    button.addEventListener('click', () => handlers.onTool((button.dataset.tool || null) as DrawingTool));
  }
  byId<HTMLButtonElement>('delete-selected').addEventListener('click', handlers.onDeleteSelected);
  byId<HTMLButtonElement>('theme').addEventListener('click', handlers.onTheme);

  return {
    setSymbols(next) {
      entries = next;
    },
    show(symbol, period) {
      current = symbol;
      if (document.activeElement !== input) input.value = symbol;
      for (const button of periods.querySelectorAll<HTMLButtonElement>('button')) {
        button.setAttribute('aria-pressed', String(button.dataset.period === period));
      }
    },
    setTool(tool) {
      for (const button of tools.querySelectorAll<HTMLButtonElement>('button[data-tool]')) {
        button.setAttribute('aria-pressed', String((button.dataset.tool || null) === tool));
      }
    },
  };
}
