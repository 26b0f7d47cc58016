import { describe, expect, it } from 'vitest';
import { ALICE_TOKEN, BOB_TOKEN, bearer, TIERS, testGateway } from '../testing/gateway.ts';
import { createLicences } from './licences.ts';

const whoami = 'http://gw.test/api/whoami';

describe('gateway licences', () => {
  it('puts the tier’s features on the request and the licence in the headers', async () => {
    const { app } = testGateway();
    const response = await app.request(whoami, { headers: bearer(BOB_TOKEN) });
    expect(response.status).toBe(200);
    expect(response.headers.get('X-QF-Licence')).toBe('pro');
    expect(response.headers.get('X-QF-RateLimit-Limit')).toBe('100');
    expect(response.headers.get('X-QF-RateLimit-Remaining')).toBe('99');
    expect(((await response.json()) as { features: unknown }).features).toEqual(TIERS.pro);
  });

  it('answers 429 with Retry-After past the tier’s limit, and serves again in the next window', async () => {
    const gateway = testGateway();
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i += 1) {
      const ok = await gateway.app.request(whoami, { headers: bearer(ALICE_TOKEN) });
      expect(ok.status).toBe(200);
      remaining.push(ok.headers.get('X-QF-RateLimit-Remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    gateway.clock.now += 45_000;
    const limited = await gateway.app.request(whoami, { headers: bearer(ALICE_TOKEN) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('15');
    expect(limited.headers.get('X-QF-Licence')).toBe('free');
    expect(((await limited.json()) as { error: string }).error).toBe('rate_limited');

    // Another user is not affected by alice's window.
    expect((await gateway.app.request(whoami, { headers: bearer(BOB_TOKEN) })).status).toBe(200);

    gateway.clock.now += 15_000;
    const next = await gateway.app.request(whoami, { headers: bearer(ALICE_TOKEN) });
    expect(next.status).toBe(200);
    expect(next.headers.get('X-QF-RateLimit-Remaining')).toBe('2');
  });

  it('refuses a credential whose licence is not configured', async () => {
    const { app } = testGateway({ tokens: { 'ghost-token-0123456789': { userId: 'g', licence: 'gold' } } });
    const response = await app.request(whoami, { headers: bearer('ghost-token-0123456789') });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { why: string }).why).toBe('licence gold is not configured');
  });

  it('rejects malformed tiers naming the key', () => {
    expect(() => createLicences({ tiers: { free: { ...TIERS.free!, rateLimitPerMinute: 0 } } })).toThrow(
      /rateLimitPerMinute/,
    );
  });
});
