import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../app.ts';
import { createLoginLinks } from '../auth/index.ts';
import { SECRET, sessionCookie, TIERS } from '../testing/gateway.ts';

const root = mkdtempSync(join(tmpdir(), 'qf-page-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>chart</title><div id="chart"></div>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log("chart")');

function pageGateway(webRoot?: string) {
  const links = createLoginLinks({ ttlMs: 60_000 });
  const { app } = createGateway(
    { ready: () => [], loginLinks: links, ...(webRoot === undefined ? {} : { webRoot }) },
    { sessionSecret: SECRET, tokens: {}, tiers: TIERS },
  );
  return { app, links };
}

describe('gateway web page', () => {
  it('sends a visitor without a session to /welcome, and serves index.html after the login link', async () => {
    const { app, links } = pageGateway(root);
    const anonymous = await app.request('http://gw.test/');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('Location')).toBe('/welcome');
    const welcome = await app.request('http://gw.test/welcome');
    expect(welcome.status).toBe(200);
    expect(await welcome.text()).toContain('quantforge start');
    // index.html is reached only through `/`.
    expect((await app.request('http://gw.test/index.html')).headers.get('Location')).toBe('/');

    const login = await app.request(
      `http://gw.test/login?code=${links.issue({ userId: 'owner', licence: 'pro' })}`,
    );
    const page = await app.request('http://gw.test/', { headers: { Cookie: sessionCookie(login) } });
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<div id="chart">');
    const forged = await app.request('http://gw.test/', { headers: { Cookie: 'qf_session=x.y.z' } });
    expect(forged.status).toBe(302);
  });

  it('serves the page assets to anyone, and 404s a path that is neither a route nor a file', async () => {
    const { app } = pageGateway(root);
    const asset = await app.request('http://gw.test/assets/app.js');
    expect(asset.status).toBe(200);
    expect(await asset.text()).toContain('console.log');
    const missing = await app.request('http://gw.test/assets/none.js');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('not_found');
  });

  it('without a built page, tells a signed-in user so instead of failing', async () => {
    const { app, links } = pageGateway(join(root, 'absent'));
    const login = await app.request(
      `http://gw.test/login?code=${links.issue({ userId: 'owner', licence: 'pro' })}`,
    );
    const page = await app.request('http://gw.test/', { headers: { Cookie: sessionCookie(login) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('dist/web/');
  });
});
