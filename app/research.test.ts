/** The research wiring: licence tiers → policy, config → service options, the venv/bwrap check. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from './config/index.ts';
import { checkResearch, researchOptions, researchPolicyOf } from './research.ts';

const ctx = (licence: string) => ({ userId: 'u', workspaceId: 'w', channel: 'test', licence });
const empty = mkdtempSync(join(tmpdir(), 'qf-research-app-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('research wiring', () => {
  it("maps each licence tier's research features to the policy of its requests", () => {
    const config = configSchema.parse({
      licences: {
        tiers: {
          free: {
            dailyTokens: 0,
            researchPersistent: false,
            research: { wallSeconds: 5, cpuSeconds: 4, memoryMb: 512, maxProcesses: 16, maxFileMb: 8 },
          },
          pro: { dailyTokens: 1, research: { pip: true } },
        },
        ownerTier: 'pro',
      },
    });
    const policyOf = researchPolicyOf(config.licences.tiers);
    expect(policyOf(ctx('free'))).toEqual({
      persistent: false,
      pip: false,
      limits: {
        wallMs: 5000,
        cpuSeconds: 4,
        memoryBytes: 512 * 1024 ** 2,
        maxProcesses: 16,
        maxFileBytes: 8 * 1024 ** 2,
      },
    });
    expect(policyOf(ctx('pro'))).toMatchObject({ persistent: true, pip: true, limits: { wallMs: 30_000 } });
    // A licence no tier names keeps nothing and may not pip.
    expect(policyOf(ctx('stolen'))).toMatchObject({ persistent: false, pip: false });
  });

  it('turns the research section into service options', () => {
    const config = configSchema.parse({
      research: {
        dir: '/srv/research',
        venvDir: '/opt/venv',
        idleMinutes: 2,
        sweepSeconds: 5,
        bwrapPath: '/x/bwrap',
      },
    });
    expect(researchOptions(config)).toMatchObject({
      researchDir: '/srv/research',
      venvDir: '/opt/venv',
      bwrapPath: '/x/bwrap',
      idleMs: 120_000,
      sweepEveryMs: 5000,
    });
  });

  it('says how to create a missing venv and install a missing bwrap', async () => {
    const config = configSchema.parse({ research: { venvDir: empty, bwrapPath: join(empty, 'no-bwrap') } });
    const r = await checkResearch(config);
    expect(r.ready).toBe(false);
    expect(!r.ready && r.reason).toContain(`bash deploy/python/setup.sh ${empty}`);
    expect(!r.ready && r.reason).toContain('bash deploy/sandbox/install.sh');
  });
});
