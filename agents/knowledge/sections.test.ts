import { describe, expect, it } from 'vitest';
import { splitSections } from './sections.ts';

describe('splitSections', () => {
  it('splits by heading with the heading trail, skipping front matter and code fences', () => {
    const md = [
      '---',
      'title: RSI',
      '---',
      'Intro before any heading.',
      '# RSI',
      '## Divergence',
      'Price makes a higher high, RSI a lower high.',
      '```python',
      '# not a heading',
      '```',
      '### Hidden',
      'Deep text.',
      '## Levels ##',
      '70 and 30.',
      '# Other',
      'Top level again.',
    ].join('\n');
    expect(splitSections(md, 'rsi.md')).toEqual([
      { file: 'rsi.md', heading: 'rsi', text: 'Intro before any heading.' },
      {
        file: 'rsi.md',
        heading: 'RSI › Divergence',
        text: 'Price makes a higher high, RSI a lower high.\n```python\n# not a heading\n```',
      },
      { file: 'rsi.md', heading: 'RSI › Divergence › Hidden', text: 'Deep text.' },
      { file: 'rsi.md', heading: 'RSI › Levels', text: '70 and 30.' },
      { file: 'rsi.md', heading: 'Other', text: 'Top level again.' },
    ]);
  });

  it('gives nothing for an empty file and keeps a file without headings whole', () => {
    expect(splitSections('', 'a.md')).toEqual([]);
    expect(splitSections('just text\r\nand more', 'notes.md')).toEqual([
      { file: 'notes.md', heading: 'notes', text: 'just text\nand more' },
    ]);
  });
});
