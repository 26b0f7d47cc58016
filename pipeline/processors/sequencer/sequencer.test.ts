import { describe, expect, it } from 'vitest';
import { createSequencer, type ItemCodec } from './index.ts';

const S = 'BINANCE:BTCUSDT';
const textCodec: ItemCodec<string> = {
  encode: (s) => new TextEncoder().encode(s),
  decode: (b) => new TextDecoder().decode(b),
};

function collect() {
  const out: [string, number, number, string][] = [];
  const seqr = createSequencer<string>(
    (series, seq, t, item) => out.push([series, seq, t, item]),
    {
      reorderWindowUs: 1000,
    },
    textCodec,
  );
  return { out, seqr };
}

describe('sequencer', () => {
  it('numbers contiguous ids at once after the first window', () => {
    const { out, seqr } = collect();
    seqr.push(S, 10, 0, 'a');
    expect(out).toEqual([]); // a fresh series waits one window for reordered predecessors
    seqr.push(S, 11, 2000, 'b');
    expect(out).toEqual([
      [S, 1, 0, 'a'],
      [S, 2, 2000, 'b'],
    ]);
    seqr.push(S, 12, 2000, 'c');
    expect(out.at(-1)).toEqual([S, 3, 2000, 'c']);
  });

  it('gives a reordered stream the same seqs as the ordered one', () => {
    const ordered = collect();
    const shuffled = collect();
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    for (const id of ids) ordered.seqr.push(S, id, id * 100, `t${id}`);
    for (const id of [3, 1, 2, 5, 4, 8, 6, 7]) shuffled.seqr.push(S, id, id * 100, `t${id}`);
    ordered.seqr.flush();
    shuffled.seqr.flush();
    expect(shuffled.out).toEqual(ordered.out);
    expect(ordered.out.map((o) => o[1])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives up on a missing id once event time passes the window, and numbers a late filler next', () => {
    const { out, seqr } = collect();
    seqr.push(S, 1, 0, 'a');
    seqr.advance(1000);
    seqr.push(S, 3, 100, 'c'); // 2 is missing
    seqr.push(S, 4, 500, 'd');
    expect(out.map((o) => o[3])).toEqual(['a']);
    seqr.push(S, 5, 1200, 'e'); // event time 1200 - window 1000 passes c (100)
    expect(out.map((o) => o[3])).toEqual(['a', 'c', 'd', 'e']);
    seqr.push(S, 2, 50, 'b');
    expect(out.at(-1)).toEqual([S, 5, 50, 'b']);
    expect(seqr.stats()).toMatchObject({ gaps: 1, late: 1, buffered: 0, released: 5 });
  });

  it('a clock tick releases a quiet series', () => {
    const { out, seqr } = collect();
    seqr.push(S, 7, 100, 'x');
    seqr.advance(900);
    expect(out).toEqual([]);
    seqr.advance(1100);
    expect(out).toEqual([[S, 1, 100, 'x']]);
  });

  it('numbers items without an integer id in arrival order', () => {
    const { out, seqr } = collect();
    seqr.push(S, Number.NaN, 5, 'u1');
    seqr.push(S, Number.NaN, 4, 'u2');
    expect(out.map((o) => o[1])).toEqual([1, 2]);
  });

  it('restores mid-stream, buffered trades included, to the same output', () => {
    const pushes: [number, number][] = [
      [1, 0],
      [3, 10],
      [2, 5],
      [5, 30],
      [6, 40],
      [4, 20],
      [7, 2000],
      [9, 2500],
      [8, 2400],
      [10, 4000],
    ];
    const whole = collect();
    for (const [id, t] of pushes) whole.seqr.push(S, id, t, `t${id}`);
    whole.seqr.flush();

    const first = collect();
    for (const [id, t] of pushes.slice(0, 5)) first.seqr.push(S, id, t, `t${id}`);
    const bytes = first.seqr.snapshotSeries(S)!;
    const second = collect();
    second.seqr.restoreSeries(S, bytes);
    for (const [id, t] of pushes.slice(5)) second.seqr.push(S, id, t, `t${id}`);
    second.seqr.flush();
    expect([...first.out, ...second.out]).toEqual(whole.out);
    expect(second.seqr.lastSeq(S)).toBe(10);
  });

  it('refuses to snapshot buffered trades without a codec', () => {
    const seqr = createSequencer<string>(() => {});
    seqr.push(S, 1, 0, 'a');
    expect(() => seqr.snapshot()).toThrow(/item codec/);
  });
});
