import { describe, expect, it } from 'vitest';
import { toToolResultBlock } from '../model/index.ts';
import { toToolOutcome } from './to-outcome.ts';

describe('toToolOutcome', () => {
  it('keeps text and images, flags errors, and says what the Messages API cannot carry', () => {
    const outcome = toToolOutcome({
      content: [
        { type: 'text', text: 'brief' },
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
        { type: 'image', data: 'PHN2Zz4=', mimeType: 'image/svg+xml' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        { type: 'resource_link', uri: 'series://u/1', name: 'bars' },
        { type: 'resource', resource: { uri: 'series://u/2', text: 'a,b\n1,2' } },
        { type: 'resource', resource: { uri: 'file:///x.bin', blob: 'AAAA', mimeType: 'application/zip' } },
      ],
      isError: true,
    });
    expect(outcome).toEqual({
      isError: true,
      content: [
        { type: 'text', text: 'brief' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        {
          type: 'text',
          text: '[image of type image/svg+xml left out: the model reads only image/jpeg, image/png, image/gif, image/webp]',
        },
        { type: 'text', text: '[audio of type audio/wav left out: the model cannot hear it]' },
        { type: 'text', text: '[resource bars: series://u/1]' },
        { type: 'text', text: 'a,b\n1,2' },
        { type: 'text', text: '[binary resource file:///x.bin of type application/zip left out]' },
      ],
    });
  });

  it('sends structured content as JSON only when there is no other content', () => {
    expect(toToolOutcome({ content: [], structuredContent: { a: 1 } })).toEqual({
      content: [{ type: 'text', text: '{"a":1}' }],
      isError: false,
    });
    expect(
      toToolOutcome({ content: [{ type: 'text', text: 'x' }], structuredContent: { a: 1 } }).content,
    ).toEqual([{ type: 'text', text: 'x' }]);
  });

  it('builds the tool_result block, with is_error only on errors', () => {
    const ok = toToolOutcome({ content: [{ type: 'text', text: 'x' }] });
    expect(toToolResultBlock('toolu_1', ok)).toEqual({
      type: 'tool_result',
      tool_use_id: 'toolu_1',
      content: [{ type: 'text', text: 'x' }],
    });
    expect(toToolResultBlock('toolu_2', { ...ok, isError: true }).is_error).toBe(true);
  });
});
