import { describe, expect, it } from 'vitest';
import { tiersSchema } from '../../../gateway/licences/index.ts';
import { gatewayTiers, licencesConfigSchema } from './licences.ts';

describe('licences config', () => {
  it('defaults: three tiers the gateway licence manager accepts as they are, the owner on local', () => {
    const config = licencesConfigSchema.parse({});
    expect(Object.keys(config.tiers)).toEqual(['local', 'standard', 'pro']);
    expect(config.ownerTier).toBe('local');
    // The gateway takes every feature but the research part (the research server reads that).
    expect(tiersSchema.parse(gatewayTiers(config.tiers))).toEqual(gatewayTiers(config.tiers));
    expect(config.tiers.standard?.research.pip).toBe(false);
    expect(config.tiers.pro?.research.pip).toBe(true);
  });

  it('fills a tier given only its budget with the default features', () => {
    const config = licencesConfigSchema.parse({ tiers: { free: { dailyTokens: 0 } }, ownerTier: 'free' });
    expect(config.tiers.free).toEqual({
      rateLimitPerMinute: 600,
      dailyTokens: 0,
      souls: ['*'],
      chatLogRetentionDays: 30,
      researchPersistent: true,
      research: {
        wallSeconds: 30,
        cpuSeconds: 60,
        memoryMb: 4096,
        maxProcesses: 128,
        maxFileMb: 256,
        pip: false,
      },
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
