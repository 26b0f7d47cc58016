import { describe, expect, it } from 'vitest';
import { createStopStack } from './stop-stack.ts';

describe('createStopStack', () => {
  it('stops parts newest first, each once', async () => {
    const stopped: string[] = [];
    const parts = createStopStack();
    for (const name of ['bus', 'pipeline', 'server']) parts.push(name, () => stopped.push(name));
    expect(await parts.stopAll()).toEqual([]);
    expect(await parts.stopAll()).toEqual([]);
    expect(stopped).toEqual(['server', 'pipeline', 'bus']);
  });

  it('keeps stopping after a part fails, and reports the failure by name', async () => {
    const stopped: string[] = [];
    const parts = createStopStack();
    parts.push('bus', () => stopped.push('bus'));
    parts.push('socket', async () => {
      throw new Error('EPIPE');
    });
    parts.push('timer', () => stopped.push('timer'));
    const failures = await parts.stopAll();
    expect(stopped).toEqual(['timer', 'bus']);
    expect(failures.map((f) => [f.name, (f.error as Error).message])).toEqual([['socket', 'EPIPE']]);
  });
});
