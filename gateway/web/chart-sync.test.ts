import { describe, expect, it } from 'vitest';
import { createChartSync } from './chart-sync.ts';
import type { ShownSeries } from './subscriptions.ts';
import { type PageWorkspace, pageWorkspaceSchema } from './workspace-state.ts';

const series = (symbol: string, period = '1m'): ShownSeries => ({ exchange: 'BINANCE', symbol, period });
const ws = (chart: ShownSeries | null): PageWorkspace =>
  pageWorkspaceSchema.parse({ workspaceId: 'w', chart, indicators: [], drawings: [], updatedAt: 'x' });

/** Runs every pending promise callback (the save queue's hand-offs). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A save the test answers when it likes, recording the order the saves were sent in. */
function manualSaves() {
  const sent: string[] = [];
  const waiting: { series: ShownSeries; resolve: (w: PageWorkspace) => void; reject: (e: Error) => void }[] =
    [];
  const save = (s: ShownSeries) =>
    new Promise<PageWorkspace>((resolve, reject) => {
      sent.push(`${s.symbol} ${s.period}`);
      waiting.push({ series: s, resolve, reject });
    });
  const answer = async (ok = true) => {
    await settle();
    const next = waiting.shift();
    if (!next) throw new Error('no save is waiting');
    if (ok) next.resolve(ws(next.series));
    else next.reject(new Error('refused'));
    await settle();
  };
  return { sent, save, answer };
}

describe('createChartSync', () => {
  it('follows a chart changed elsewhere, and not one the page already shows', () => {
    const sync = createChartSync();
    expect(sync.follow(ws(series('BTCUSDT')), ws(series('ETHUSDT')), series('BTCUSDT'))).toEqual(
      series('ETHUSDT'),
    );
    expect(sync.follow(ws(series('BTCUSDT')), ws(series('ETHUSDT')), series('ETHUSDT'))).toBeUndefined();
    // Only a drawing changed: stay on whatever the user looks at.
    expect(sync.follow(ws(series('BTCUSDT')), ws(series('BTCUSDT')), series('XRPETH'))).toBeUndefined();
  });

  it('does not bounce the page to its own earlier pick while its later one is saving', async () => {
    const sync = createChartSync();
    const { sent, save, answer } = manualSaves();
    let workspace = ws(series('BTCUSDT'));
    let shown = series('BTCUSDT');
    const moves: (ShownSeries | undefined)[] = [];
    const apply = (next: PageWorkspace) => {
      moves.push(sync.follow(workspace, next, shown));
      workspace = next;
    };
    // The user clicks 5m, then 1h, quickly.
    const pick = (s: ShownSeries) => {
      shown = s;
      return sync.picked(s, save).then(apply);
    };
    const first = pick(series('BTCUSDT', '5m'));
    const second = pick(series('BTCUSDT', '1h'));
    await settle();
    expect(sent).toEqual(['BTCUSDT 5m']); // one at a time: the last pick is the last write
    await answer();
    await first;
    expect(sent).toEqual(['BTCUSDT 5m', 'BTCUSDT 1h']);
    // The 5m save's push arrives too while 1h is saving.
    apply(ws(series('BTCUSDT', '5m')));
    await answer();
    await second;
    expect(moves).toEqual([undefined, undefined, undefined]);
    expect(shown).toEqual(series('BTCUSDT', '1h'));
    // Saved: a change from elsewhere moves the page again.
    expect(sync.follow(workspace, ws(series('ETHUSDT')), shown)).toEqual(series('ETHUSDT'));
  });

  it('passes a failed save on and goes on with the next one', async () => {
    const sync = createChartSync();
    const { sent, save, answer } = manualSaves();
    const failed = expect(sync.picked(series('NOPE'), save)).rejects.toThrow('refused');
    const next = sync.picked(series('ETHUSDT'), save);
    await answer(false);
    await failed;
    await answer();
    await expect(next).resolves.toEqual(ws(series('ETHUSDT')));
    expect(sent).toEqual(['NOPE 1m', 'ETHUSDT 1m']);
    expect(sync.follow(ws(series('ETHUSDT')), ws(series('BTCUSDT')), series('ETHUSDT'))).toEqual(
      series('BTCUSDT'),
    );
  });
});
