/**
 * A throwaway page for browser tests: a browser entry bundled with esbuild (IIFE, Chrome 120) and
 * served as `/page.js` beside an HTML page, on 127.0.0.1 until the server is closed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

/** Where the page's HTML loads the bundle from. */
export const PAGE_SCRIPT = '/page.js';

/** Serves `html` (which loads {@link PAGE_SCRIPT}) and `entry` bundled for the browser. */
export async function serveBundledPage(
  entry: string,
  html: string,
): Promise<{ server: Server; url: string }> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  });
  const js = bundle.outputFiles[0]?.text ?? '';
  const server = createServer((req, res) => {
    const isJs = req.url === PAGE_SCRIPT;
    res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
    res.end(isJs ? js : html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
