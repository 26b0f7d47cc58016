import { describe, expect, it } from 'vitest';
import { classifyMessage } from './messages.ts';

describe('classifyMessage', () => {
  it.each([
    ['{"stream":"btcusdt@trade","data":{}}', 'data'],
    ['{"result":null,"id":1}', 'reply'],
    ['{"result":["btcusdt@trade"],"id":3}', 'reply'],
    ['{"error":{"code":2,"msg":"Invalid request"},"id":2}', 'error-reply'],
    ['{"lastUpdateId":1,"bids":[],"asks":[]}', 'other'],
    ['not json', 'other'],
  ])('%s -> %s', (text, kind) => {
    expect(classifyMessage(Buffer.from(text))).toBe(kind);
  });
});
