import { describe, expect, it } from 'vitest';
import { tiersSchema } from '../../../gateway/licences/index.ts';
import { licencesConfigSchema } from './licences.ts';

describe('licences config', () => {
  it('defaults: three tiers the gateway licence manager accepts as they are, the owner on local', () => {
    const config = licencesConfigSchema.parse({});
    expect(Object.keys(config.tiers)).toEqual(['local', 'standard', 'pro']);
    expect(config.ownerTier).toBe('local');
    expect(tiersSchema.parse(config.tiers)).toEqual(config.tiers);
  });

  it('fills a tier given only its budget with the default features', () => {
    const config = licencesConfigSchema.parse({ tiers: { free: { dailyTokens: 0 } }, ownerTier: 'free' });
    expect(config.tiers.free).toEqual({
      rateLimitPerMinute: 600,
      dailyTokens: 0,
      souls: ['*'],
      chatLogRetentionDays: 30,
      researchPersistent: true,
      alerts: 10,
    });
  });

  it('names a tier without a budget, refuses an empty tier list and an owner tier that is not one', () => {
    const noBudget = licencesConfigSchema.safeParse({ tiers: { free: {} } });
    expect(noBudget.error?.issues.map((i) => i.path.join('.'))).toContain('tiers.free.dailyTokens');
    expect(licencesConfigSchema.safeParse({ tiers: {} }).success).toBe(false);
    const owner = licencesConfigSchema.safeParse({ tiers: { free: { dailyTokens: 1 } } });
    expect(owner.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['ownerTier', 'ownerTier must name one of licences.tiers'],
    ]);
  });
});
