import { describe, expect, it } from 'vitest';
import { expandToolPatterns, isToolPattern, toolMatcher, toolNameOf } from './tool-patterns.ts';

const TOOLS = [
  'mcp__market-data__get_bars',
  'mcp__market-data__get_quote',
  'mcp__market-data__search_symbols',
  'mcp__indicators__get_series',
  'mcp__indicators__list_indicators',
  'mcp__workspace__add_drawing',
];

describe('tool patterns', () => {
  it.each([
    ['mcp__market-data__get_bars', ['mcp__market-data__get_bars']],
    ['mcp__market-data__*', TOOLS.slice(0, 3)],
    [
      'mcp__*__get_*',
      ['mcp__market-data__get_bars', 'mcp__market-data__get_quote', 'mcp__indicators__get_series'],
    ],
    ['mcp__*', TOOLS],
    ['mcp__market-data__get_bar', []],
    // `-` and `.` are literal, not regex syntax
    ['mcp__market.data__get_bars', []],
  ])('%s', (pattern, expected) => {
    expect(expandToolPatterns([pattern], TOOLS)).toEqual(expected);
  });

  it('expands several patterns in the order of the tool list, each tool once', () => {
    expect(
      expandToolPatterns(['mcp__workspace__*', 'mcp__market-data__get_bars', 'mcp__*__get_bars'], TOOLS),
    ).toEqual(['mcp__market-data__get_bars', 'mcp__workspace__add_drawing']);
  });

  it('knows the mcp__<server>__<tool> shape', () => {
    expect(toolNameOf('market-data', 'get_bars')).toBe('mcp__market-data__get_bars');
    expect(isToolPattern('mcp__*__get_*')).toBe(true);
    for (const bad of ['Read', 'get_bars', 'mcp__market-data', 'mcp____get_bars', 'mcp__Market__x'])
      expect(isToolPattern(bad), bad).toBe(false);
    expect(toolMatcher('mcp__a__b')('mcp__a__bb')).toBe(false);
  });
});
