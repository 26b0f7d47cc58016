import { describe, expect, it } from 'vitest';
import { ALICE_TOKEN, bearer, sessionCookie, testGateway } from './testing/gateway.ts';

describe('createGateway', () => {
  it('answers /healthz without credentials', async () => {
    const { app } = testGateway();
    const response = await app.request('http://gw.test/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 503 naming what is not ready, then 200', async () => {
    const gateway = testGateway();
    gateway.notReady.add('store');
    const waiting = await gateway.app.request('http://gw.test/readyz');
    expect(waiting.status).toBe(503);
    expect(await waiting.json()).toEqual({ status: 'not ready', notReady: ['store'] });
    gateway.notReady.clear();
    const ready = await gateway.app.request('http://gw.test/readyz');
    expect(ready.status).toBe(200);
  });

  it('serves /metrics only with a bearer token, counting requests by route and status', async () => {
    const gateway = testGateway();
    const refused = await gateway.app.request('http://gw.test/metrics');
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { why: string }).why).toMatch(/needs a bearer token/);

    // A session is not enough for /metrics.
    const code = gateway.links.issue({ userId: 'carol', licence: 'pro' });
    const cookie = sessionCookie(await gateway.app.request(`http://gw.test/login?code=${code}`));
    expect(
      (await gateway.app.request('http://gw.test/metrics', { headers: { Cookie: cookie } })).status,
    ).toBe(401);

    await gateway.app.request('http://gw.test/api/whoami', { headers: bearer(ALICE_TOKEN) });
    await gateway.app.request('http://gw.test/api/whoami');
    const response = await gateway.app.request('http://gw.test/metrics', { headers: bearer(ALICE_TOKEN) });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('qf_gateway_requests_total{route="/api/whoami",method="GET",status="200"} 1');
    expect(text).toContain('qf_gateway_requests_total{route="/api/whoami",method="GET",status="401"} 1');
    expect(text).toContain('qf_gateway_requests_total{route="/metrics",method="GET",status="401"} 2');
    expect(text).toMatch(/qf_gateway_request_duration_seconds_count\{route="\/api\/whoami",method="GET"\} 2/);
    // A per-gateway registry: nothing from prom-client's global default (e.g. process metrics).
    expect(text).not.toContain('process_cpu');
  });

  it('keeps metrics of two gateways apart', async () => {
    const first = testGateway();
    const second = testGateway();
    await first.app.request('http://gw.test/healthz');
    const text = await (
      await second.app.request('http://gw.test/metrics', { headers: bearer(ALICE_TOKEN) })
    ).text();
    expect(text).not.toContain('route="/healthz"');
  });

  it('answers 404 JSON for an unknown public path', async () => {
    const { app } = testGateway();
    const response = await app.request('http://gw.test/nope');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toBe('not_found');
  });
});
