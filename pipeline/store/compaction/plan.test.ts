import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../catalog/manifest.ts';
import { planMerges } from './plan.ts';

const f = (name: string, date: string, rows: number, t: number): FileEntry => ({
  path: name,
  date,
  rows,
  bytes: 1,
  minTimeUs: t,
  maxTimeUs: t,
  minSeq: null,
  maxSeq: null,
  addedVersion: 1,
});
const o = { smallFileRows: 100, minFiles: 3, maxFileRows: 250, today: '2024-01-02' };

describe('planMerges', () => {
  it('merges small files of today only once minFiles are there', () => {
    expect(planMerges([f('a', '2024-01-02', 10, 1), f('b', '2024-01-02', 10, 2)], o)).toEqual([]);
    const three = [f('a', '2024-01-02', 10, 1), f('b', '2024-01-02', 10, 2), f('c', '2024-01-02', 10, 3)];
    expect(planMerges(three, o).map((g) => g.map((x) => x.path))).toEqual([['a', 'b', 'c']]);
  });

  it('merges two small files of a closed day, leaves big files alone, caps merged rows', () => {
    const files = [
      f('big', '2024-01-01', 500, 0),
      f('a', '2024-01-01', 90, 1),
      f('b', '2024-01-01', 90, 2),
      f('c', '2024-01-01', 90, 3),
      f('d', '2024-01-01', 90, 4),
    ];
    expect(planMerges(files, o).map((g) => g.map((x) => x.path))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
