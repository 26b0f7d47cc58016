import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capturingLogger, contextOf, tempDataDir } from '../testing/memory-fixtures.ts';
import { BudgetExceededError, checkBudget, UnknownTierError } from './budget.ts';
import { createUsageLedger, type UsageInput } from './ledger.ts';

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.remove());

const PRICES = { 'claude-x': { inputPerMTok: 3, outputPerMTok: 15 } };

function ledger(now = new Date('2025-03-01T21:30:00Z')) {
  const { logger, lines } = capturingLogger();
  return {
    ledger: createUsageLedger({ dataDir: data.dir, prices: PRICES, clock: () => now, logger }),
    lines,
  };
}

const call = (userId: string, usage: UsageInput['usage'], extra: Partial<UsageInput> = {}): UsageInput => ({
  context: contextOf(userId),
  soul: 'coordinator',
  model: 'claude-x',
  usage,
  tools: ['mcp__market-data__get_bars'],
  durationMs: 1200,
  ...extra,
});

describe('usage ledger', () => {
  it('totals equal the usage recorded, per user and day, with costs from the price table', async () => {
    const { ledger: l } = ledger();
    const calls = [
      { input: 1000, output: 200, cacheRead: 5000, cacheWrite: 0 },
      { input: 300, output: 50, cacheRead: 0, cacheWrite: 4000 },
      { input: 10, output: 1, cacheRead: 7, cacheWrite: 3 },
    ];
    for (const usage of calls) await l.record(call('alice', usage));
    await l.record(call('bob', { input: 99_999, output: 1, cacheRead: 0, cacheWrite: 0 }));
    await l.record(
      call(
        'alice',
        { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 },
        { at: new Date('2025-03-02T00:00:01Z') },
      ),
    );

    const totals = await l.totals('alice', '2025-03-01');
    const sum = (k: keyof (typeof calls)[number]) => calls.reduce((s, c) => s + c[k], 0);
    expect(totals).toMatchObject({
      calls: 3,
      inputTokens: sum('input'),
      outputTokens: sum('output'),
      cacheReadTokens: sum('cacheRead'),
      cacheWriteTokens: sum('cacheWrite'),
      tokens: sum('input') + sum('output') + sum('cacheRead') + sum('cacheWrite'),
      unpricedCalls: 0,
    });
    const expectedCost =
      (sum('input') * 3 + sum('output') * 15 + sum('cacheRead') * 0.3 + sum('cacheWrite') * 3.75) / 1e6;
    expect(totals.costUsd).toBeCloseTo(expectedCost, 12);
    expect((await l.totals('bob', '2025-03-01')).inputTokens).toBe(99_999);
    expect((await l.totals('alice', '2025-03-02')).calls).toBe(1);
    expect((await l.totals('carol', '2025-03-01')).calls).toBe(0);

    const line = JSON.parse(
      readFileSync(join(data.dir, 'agents', 'alice', 'usage', '2025-03-01.jsonl'), 'utf8').split('\n')[0]!,
    );
    expect(line).toMatchObject({
      userId: 'alice',
      workspaceId: 'main',
      channel: 'web',
      licence: 'pro',
      soul: 'coordinator',
      model: 'claude-x',
      tools: ['mcp__market-data__get_bars'],
      durationMs: 1200,
      at: '2025-03-01T21:30:00.000Z',
      background: false,
    });
  });

  it('counts what another process appended, and skips a torn line with a warning', async () => {
    const { ledger: one, lines } = ledger();
    const { ledger: other } = ledger();
    await one.record(call('alice', { input: 10, output: 0, cacheRead: 0, cacheWrite: 0 }));
    expect((await one.totals('alice', '2025-03-01')).tokens).toBe(10);
    await other.record(call('alice', { input: 5, output: 0, cacheRead: 0, cacheWrite: 0 }));
    expect((await one.totals('alice', '2025-03-01')).tokens).toBe(15);

    const file = join(data.dir, 'agents', 'alice', 'usage', '2025-03-01.jsonl');
    appendFileSync(file, '{"at":"2025-03-01T2');
    expect((await one.totals('alice', '2025-03-01')).tokens).toBe(15);
    await other.record(call('alice', { input: 7, output: 0, cacheRead: 0, cacheWrite: 0 }));
    expect((await one.totals('alice', '2025-03-01')).tokens).toBe(22);
    expect(lines.filter((l) => l.msg === 'usage line skipped')).toHaveLength(1);
  });

  it('records an unknown model with a null cost and says so', async () => {
    const { ledger: l, lines } = ledger();
    const entry = await l.record(
      call('alice', { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 }, { model: 'local-llama' }),
    );
    expect(entry.costUsd).toBeNull();
    expect((await l.totals('alice', '2025-03-01')).unpricedCalls).toBe(1);
    expect(lines.some((l) => String(l.msg).includes('no price'))).toBe(true);
  });
});

describe('daily budget', () => {
  const budgets = { free: { dailyTokens: 1000 }, pro: { dailyTokens: 100_000 } };

  it('refuses before the call once the tier budget is used, saying when it resets', async () => {
    const { ledger: l } = ledger();
    const alice = contextOf('alice', 'main', 'free');
    expect(await checkBudget(l, budgets, alice)).toMatchObject({ used: 0, limit: 1000, remaining: 1000 });
    await l.record(
      call('alice', { input: 600, output: 100, cacheRead: 0, cacheWrite: 0 }, { context: alice }),
    );
    // A scheduled turn counts like any other.
    await l.record(
      call(
        'alice',
        { input: 250, output: 50, cacheRead: 0, cacheWrite: 0 },
        { context: alice, background: true },
      ),
    );
    const error = await checkBudget(l, budgets, alice).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    const refused = error as BudgetExceededError;
    expect(refused.resetsAt.toISOString()).toBe('2025-03-02T00:00:00.000Z');
    expect(refused.used).toBe(1000);
    expect(refused.message).toBe(
      "You have used 1,000 of the 1,000 tokens your free plan allows per day, so I can't answer right now. " +
        'The budget resets at 00:00 UTC (2025-03-02T00:00:00.000Z), in 2 h 30 min.',
    );
    // Another user, and the same user the next day, are not refused.
    await expect(checkBudget(l, budgets, contextOf('bob', 'main', 'free'))).resolves.toMatchObject({
      used: 0,
    });
    await expect(checkBudget(l, budgets, alice, new Date('2025-03-02T00:00:00Z'))).resolves.toMatchObject({
      used: 0,
    });
  });

  it('refuses a tier with no budget, naming the tiers that have one', async () => {
    const { ledger: l } = ledger();
    await expect(checkBudget(l, budgets, contextOf('alice', 'main', 'gold'))).rejects.toThrow(
      UnknownTierError,
    );
    await expect(checkBudget(l, budgets, contextOf('alice', 'main', 'gold'))).rejects.toThrow(/free, pro/);
  });
});
