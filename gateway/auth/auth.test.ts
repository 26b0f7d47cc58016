import { describe, expect, it } from 'vitest';
import {
  ALICE_TOKEN,
  BOB_TOKEN,
  bearer,
  LINK_TTL_MS,
  sessionCookie,
  testGateway,
} from '../testing/gateway.ts';

const whoami = 'http://gw.test/api/whoami';

async function login(gateway: ReturnType<typeof testGateway>, userId = 'carol'): Promise<string> {
  const code = gateway.links.issue({ userId, licence: 'pro' });
  const response = await gateway.app.request(`http://gw.test/login?code=${code}`);
  expect(response.status).toBe(302);
  return sessionCookie(response);
}

describe('gateway auth', () => {
  it('answers 401 on /api/* without credentials, with a bad scheme, and with an unknown token', async () => {
    const { app } = testGateway();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /no bearer token and no session cookie/],
      [{ Authorization: `Basic ${ALICE_TOKEN}` }, /not "Bearer <token>"/],
      [bearer('not-a-token'), /bearer token not recognised/],
      [{ Cookie: 'qf_session=garbage' }, /session cookie refused/],
    ];
    for (const [headers, why] of cases) {
      for (const path of ['/api/whoami', '/api/no-such-route']) {
        const response = await app.request(`http://gw.test${path}`, { headers });
        expect(response.status).toBe(401);
        const body = (await response.json()) as { error: string; why: string };
        expect(body.error).toBe('unauthorized');
        expect(body.why).toMatch(why);
      }
    }
  });

  it('passes a bearer token with its identity on channel http', async () => {
    const { app } = testGateway();
    const response = await app.request(whoami, { headers: bearer(ALICE_TOKEN) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { identity: unknown };
    expect(body.identity).toEqual({
      userId: 'alice',
      workspaceId: 'default',
      channel: 'http',
      licence: 'free',
    });
  });

  it('takes the workspace from the header, limited to the token’s workspaces', async () => {
    const { app } = testGateway();
    const first = await app.request(whoami, { headers: bearer(BOB_TOKEN) });
    expect(((await first.json()) as { identity: { workspaceId: string } }).identity.workspaceId).toBe('desk');
    const named = await app.request(whoami, { headers: { ...bearer(BOB_TOKEN), 'X-QF-Workspace': 'lab' } });
    expect(((await named.json()) as { identity: { workspaceId: string } }).identity.workspaceId).toBe('lab');
    const foreign = await app.request(whoami, {
      headers: { ...bearer(BOB_TOKEN), 'X-QF-Workspace': 'alices' },
    });
    expect(foreign.status).toBe(403);
    const invalid = await app.request(whoami, {
      headers: { ...bearer(ALICE_TOKEN), 'X-QF-Workspace': '../etc' },
    });
    expect(invalid.status).toBe(400);
  });

  it('logs in with a link: an HttpOnly SameSite=Strict cookie whose session passes on channel web', async () => {
    const gateway = testGateway();
    const code = gateway.links.issue({ userId: 'carol', licence: 'pro' });
    const response = await gateway.app.request(`http://gw.test/login?code=${code}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/');
    const setCookie = response.headers.get('Set-Cookie') ?? '';
    expect(setCookie).toMatch(/^qf_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Max-Age=900/);

    const api = await gateway.app.request(whoami, { headers: { Cookie: sessionCookie(response) } });
    expect(api.status).toBe(200);
    expect(((await api.json()) as { identity: unknown }).identity).toEqual({
      userId: 'carol',
      workspaceId: 'default',
      channel: 'web',
      licence: 'pro',
    });
  });

  it('refuses a used login code as "already used" and a late one as "expired"', async () => {
    const gateway = testGateway();
    const code = gateway.links.issue({ userId: 'carol', licence: 'pro' });
    expect((await gateway.app.request(`http://gw.test/login?code=${code}`)).status).toBe(302);
    const again = await gateway.app.request(`http://gw.test/login?code=${code}`);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { why: string }).why).toMatch(/already used/);

    const late = gateway.links.issue({ userId: 'carol', licence: 'pro' });
    gateway.clock.now += LINK_TTL_MS;
    const expired = await gateway.app.request(`http://gw.test/login?code=${late}`);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { why: string }).why).toMatch(/expired/);

    const unknown = await gateway.app.request('http://gw.test/login?code=nope');
    expect(((await unknown.json()) as { why: string }).why).toMatch(/not recognised/);
  });

  it('refuses an expired session and a tampered one', async () => {
    const gateway = testGateway();
    const cookie = await login(gateway);

    // Flip one character of the signature.
    const [header, payload, signature] = cookie.slice('qf_session='.length).split('.') as [
      string,
      string,
      string,
    ];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    const tampered = await gateway.app.request(whoami, {
      headers: { Cookie: `qf_session=${header}.${payload}.${flipped}` },
    });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { why: string }).why).toMatch(/refused/);

    // Another payload (a different user) under the original signature.
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'alice' }),
    ).toString('base64url');
    const swapped = await gateway.app.request(whoami, {
      headers: { Cookie: `qf_session=${header}.${forged}.${signature}` },
    });
    expect(swapped.status).toBe(401);

    gateway.clock.now += 899_000;
    expect((await gateway.app.request(whoami, { headers: { Cookie: cookie } })).status).toBe(200);
    gateway.clock.now += 1_000;
    const expired = await gateway.app.request(whoami, { headers: { Cookie: cookie } });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { why: string }).why).toMatch(/session expired/);
  });

  it('refuses a foreign Origin on /api and on state changes, naming it; allows own and listed ones', async () => {
    const { app } = testGateway();
    const foreignGet = await app.request(whoami, {
      headers: { ...bearer(ALICE_TOKEN), Origin: 'https://evil.example' },
    });
    expect(foreignGet.status).toBe(403);
    expect(((await foreignGet.json()) as { why: string }).why).toBe(
      'origin https://evil.example is not allowed',
    );
    const foreignPost = await app.request('http://gw.test/login?code=x', {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
    });
    expect(foreignPost.status).toBe(403);

    for (const origin of ['http://gw.test', 'https://charts.example.com']) {
      const ok = await app.request('http://gw.test/api/echo', {
        method: 'POST',
        headers: { ...bearer(BOB_TOKEN), Origin: origin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ hello: 1 }),
      });
      expect(ok.status).toBe(200);
    }
    // A public GET from another site (e.g. a status page) is not refused.
    expect(
      (await app.request('http://gw.test/healthz', { headers: { Origin: 'https://evil.example' } })).status,
    ).toBe(200);
  });
});
