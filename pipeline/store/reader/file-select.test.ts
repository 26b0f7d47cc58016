import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../catalog/manifest.ts';
import { filesAtOrAfter, filesAtOrBefore, filesInTimeRange, hasOverlap, newestFiles } from './file-select.ts';

const f = (name: string, minTimeUs: number, maxTimeUs: number, rows = 10): FileEntry => ({
  path: name,
  date: '2024-01-01',
  rows,
  bytes: 1,
  minTimeUs,
  maxTimeUs,
  minSeq: null,
  maxSeq: null,
  addedVersion: 1,
});

describe('file selection', () => {
  const files = [f('a', 0, 9), f('b', 10, 19), f('c', 20, 29)];

  it('prunes by time range [from, to)', () => {
    expect(filesInTimeRange(files, 10, 20).map((x) => x.path)).toEqual(['b']);
    expect(filesInTimeRange(files, 9, 21).map((x) => x.path)).toEqual(['a', 'b', 'c']);
    expect(filesInTimeRange(files, 30, 40)).toEqual([]);
  });

  it('detects overlapping key ranges', () => {
    expect(hasOverlap(files)).toBe(false);
    expect(hasOverlap([...files, f('d', 15, 16)])).toBe(true);
  });

  it('takes the newest files covering a row count, plus files overlapping them', () => {
    expect(newestFiles(files, 10, 100).map((x) => x.path)).toEqual(['c']);
    expect(newestFiles(files, 11, 100).map((x) => x.path)).toEqual(['c', 'b']);
    expect(newestFiles([...files, f('rev', 5, 25, 1)], 10, 100).map((x) => x.path)).toEqual(['c', 'rev']);
    expect(newestFiles(files, 10, 15).map((x) => x.path)).toEqual(['b']);
  });

  it('finds where the first row at/after and last row at/before a time can be', () => {
    expect(filesAtOrAfter(files, 12).map((x) => x.path)).toEqual(['b']);
    expect(filesAtOrAfter(files, 30)).toEqual([]);
    expect(filesAtOrBefore(files, 12).map((x) => x.path)).toEqual(['b']);
    expect(filesAtOrBefore(files, 9).map((x) => x.path)).toEqual(['a']);
  });
});
