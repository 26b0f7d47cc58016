import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedContext } from '../common/index.ts';
import { fakeBackfillService } from '../testing/fake-backfill.ts';
import { callTool, linkClient, textOf } from '../testing/link-client.ts';
import { createBackfillJobs, createBackfillServer } from './index.ts';

describe('backfill server', () => {
  const service = fakeBackfillService();
  const jobs = createBackfillJobs(service);
  let alice: Client;
  let bob: Client;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    for (const user of ['alice', 'bob']) {
      const ctx = { userId: user, workspaceId: 'w', channel: 'test', licence: 'pro' };
      const linked = await linkClient(
        createBackfillServer({ jobs, resolveContext: fixedContext(ctx) }).server,
      );
      closers.push(linked.close);
      if (user === 'alice') alice = linked.client;
      else bob = linked.client;
    }
  });
  afterAll(async () => {
    for (const c of closers) await c();
  });

  it('queues a job, reports progress, and cancels it; other users cannot see it', async () => {
    const r = textOf(
      await callTool(alice, 'request_backfill', {
        symbol: 'btc/usdt',
        period: '1h',
        from: '2024-01-01',
        to: '2024-02-01',
      }),
    );
    expect(r).toMatch(
      /^Backfill queued\. Job job-1 running: BINANCE:BTCUSDT bars 1h 2024-01-01T00:00:00Z\.\.2024-02-01T00:00:00Z; 25% /,
    );
    expect(service.requests[0]).toMatchObject({
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      dataset: 'bars',
      period: '1h',
      requestedBy: 'mcp:alice',
    });
    expect(textOf(await callTool(alice, 'backfill_status', { job_id: 'job-1' }))).toContain(
      '480 gap(s) found, 120 item(s) written',
    );
    expect(textOf(await callTool(alice, 'backfill_status'))).toMatch(/^Job job-1 running/);

    const peek = await callTool(bob, 'backfill_status', { job_id: 'job-1' });
    expect(peek.isError).toBe(true);
    expect(textOf(peek)).toMatch(/^job_id: no backfill job "job-1" of yours; yours: none/);
    expect((await callTool(bob, 'cancel_backfill', { job_id: 'job-1' })).isError).toBe(true);
    expect(textOf(await callTool(bob, 'backfill_status'))).toBe('You have no backfill jobs.');

    expect(textOf(await callTool(alice, 'cancel_backfill', { job_id: 'job-1' }))).toMatch(
      /^Cancel requested\. Job job-1 cancelled/,
    );
  });

  it("refuses a range before the symbol's earliest time, naming the field", async () => {
    const r = await callTool(alice, 'request_backfill', {
      symbol: 'BTCUSDT',
      from: '2015-01-01',
      to: '2016-01-01',
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^from: BTCUSDT on BINANCE has no data before its earliest time 2017-08-17/);
    const future = await callTool(alice, 'request_backfill', {
      symbol: 'BTCUSDT',
      dataset: 'trades',
      from: '2025-12-31',
      to: '2027-01-01',
    });
    expect(textOf(future)).toMatch(/^to: the range .* reaches into the future/);
    const period = await callTool(alice, 'request_backfill', {
      symbol: 'BTCUSDT',
      period: '2h30',
      from: '2024-01-01',
    });
    expect(textOf(period)).toMatch(/^period: "2h30" is not a period/);
    const dataset = await callTool(alice, 'request_backfill', {
      symbol: 'BTCUSDT',
      dataset: 'quotes',
      from: '2024-01-01',
    });
    expect(textOf(dataset)).toMatch(/dataset/);
  });
});
