import { describe, expect, it } from 'vitest';
import { agentsConfigSchema } from './agents.ts';

describe('agents config', () => {
  it('defaults: model keys default/fast/deep and souls/', () => {
    const config = agentsConfigSchema.parse({});
    expect(Object.keys(config.models)).toEqual(['default', 'fast', 'deep']);
    expect(config.soulsDir).toBe('souls');
  });

  it('replaces the model map as a whole; it must keep a "default" key', () => {
    expect(agentsConfigSchema.parse({ models: { default: 'm1', cheap: 'm2' } }).models).toEqual({
      default: 'm1',
      cheap: 'm2',
    });
    const missing = agentsConfigSchema.safeParse({ models: { fast: 'm2' } });
    expect(missing.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['models', 'expected a "default" key (the model of souls that name none)'],
    ]);
  });
});
