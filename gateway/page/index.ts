/**
 * The web page's routes: `GET /` serves `index.html` of the built page to a signed-in session and
 * redirects anyone else to `/welcome`, a short page saying how to sign in; the page's assets
 * (scripts, styles, fonts — nothing private) are served from the same folder to anyone.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE, type Sessions } from '../auth/index.ts';
import type { GatewayEnv } from '../types.ts';

export interface PageOptions {
  readonly sessions: Sessions;
  /** Folder of the built page (`index.html` and its assets); absent or missing: not built. */
  readonly root?: string;
}

const html = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#eee;padding:0 .25em}</style>' +
  `</head><body>${body}</body></html>`;

const WELCOME = html(
  'QuantForge: sign in',
  '<h1>QuantForge</h1><p>Open the one-time login link that <code>quantforge start</code> ' +
    '(or <code>quantforge gateway</code>) printed in its terminal. Each start prints a new one; ' +
    'a link works once.</p>',
);

const NOT_BUILT = html(
  'QuantForge',
  '<h1>QuantForge</h1><p>You are signed in, but the web page is not built in this checkout ' +
    '(<code>dist/web/</code> is missing). The HTTP API under <code>/api</code> and MCP under ' +
    '<code>/mcp/&lt;server&gt;</code> work.</p>',
);

/** The page routes, mounted at `/` after every other route. */
export function pageRoutes(options: PageOptions): Hono<GatewayEnv> {
  const root =
    options.root !== undefined && existsSync(join(options.root, 'index.html')) ? options.root : undefined;
  const app = new Hono<GatewayEnv>();
  const noStore = { 'Cache-Control': 'no-store' };
  app.get('/welcome', (c) => c.html(WELCOME, 200, noStore));
  app.get('/', async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = cookie === undefined ? undefined : await options.sessions.verify(cookie);
    if (!session?.ok) return c.redirect('/welcome', 302);
    if (root === undefined) return c.html(NOT_BUILT, 200, noStore);
    return c.html(await readFile(join(root, 'index.html'), 'utf8'), 200, noStore);
  });
  if (root !== undefined) {
    // index.html only through `/` (signed in); everything else in the folder is public.
    app.get('/index.html', (c) => c.redirect('/', 302));
    app.get('*', serveStatic({ root }));
  }
  return app;
}
