/**
 * pip per licence, against real bwrap, the real venv and the real package index: a small
 * pure-Python package installs where the tier allows pip and imports in the next run; it is refused
 * where it does not; and while pip is allowed, nothing but the index's hosts is reachable (the
 * proxy refuses other hosts and ports, and runs have no network at all).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../common/index.ts';
import { textOf } from '../testing/link-client.ts';
import { openResearchService, type ResearchService } from './index.ts';
import { type IndexProxy, startIndexProxy } from './sandbox/index-proxy.ts';
import { assertResearchVenv, callResearchTool, RESEARCH_VENV, researchContext } from './testing/research.ts';

let root: string;
let research: ResearchService;

beforeAll(() => {
  assertResearchVenv();
  root = mkdtempSync(join(tmpdir(), 'qf-pip-test-'));
  research = openResearchService({
    dataDir: join(root, 'data'),
    venvDir: RESEARCH_VENV,
    sweepEveryMs: 0,
    // pro may pip, free may not.
    policyOf: (c) => ({
      persistent: c.licence !== 'free',
      pip: c.licence === 'pro',
      limits: { wallMs: 120_000 },
    }),
  });
});

afterAll(() => {
  research?.close();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

const call = (context: RequestContext, tool: string, args: Record<string, unknown>) =>
  callResearchTool(research, context, tool, args);

const IMPORT = 'import tabulate\nprint(tabulate.__version__, tabulate.__file__)\n';

/** The proxy's answer to `CONNECT target` over its socket: the status line. */
function connectThrough(proxy: IndexProxy, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(proxy.socketPath);
    let got = '';
    s.on('data', (b) => {
      got += b.toString('latin1');
      if (got.includes('\r\n')) {
        s.destroy();
        resolve(got.slice(0, got.indexOf('\r\n')));
      }
    });
    s.on('error', reject);
    s.on('end', () => resolve(got));
    s.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
  });
}

describe('pip per licence', () => {
  it('installs a small pure-Python package where the tier allows pip; the next run imports it from the user folder', async () => {
    const pro = researchContext('pia', 'pro');
    const r = await call(pro, 'pip_install', { packages: ['tabulate==0.9.0'] });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toContain('Installed tabulate==0.9.0');
    const run = await call(pro, 'run_python', { code: IMPORT });
    const s = run.structuredContent as { exitCode: number; stdout: string; stderr: string };
    expect(s.exitCode, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/^0\.9\.0 \/workspace\/scratch\/\.site-packages\/tabulate\//);
    // The venv's own packages still come first.
    const numpy = await call(pro, 'run_python', { code: 'import numpy\nprint(numpy.__file__)\n' });
    expect((numpy.structuredContent as { stdout: string }).stdout).toMatch(/^\/qf\/venv\//);
  }, 180_000);

  it('refuses pip where the tier does not allow it, saying so; the package is not importable there', async () => {
    const free = researchContext('fred', 'free');
    const r = await call(free, 'pip_install', { packages: ['tabulate'] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('pip install is not part of your licence');
    const run = await call(free, 'run_python', { code: IMPORT });
    expect((run.structuredContent as { stderr: string }).stderr).toContain(
      "ModuleNotFoundError: No module named 'tabulate'",
    );
  }, 60_000);

  it('refuses a URL, a path or an option as a package', async () => {
    for (const p of [
      'https://evil.example/x.whl',
      '../x',
      '--index-url=https://evil.example',
      'x @ file:///etc',
    ]) {
      const r = await call(researchContext('pia', 'pro'), 'pip_install', { packages: [p] });
      expect(r.isError, p).toBe(true);
      expect(textOf(r), p).toContain('expected a package name');
    }
  });

  it('while pip is allowed, runs still have no network, and the proxy tunnels to the index hosts on 443 only', async () => {
    const code = `import socket
for host, port in [("pypi.org", 443), ("files.pythonhosted.org", 443), ("1.1.1.1", 443), ("127.0.0.1", 19092)]:
    try:
        socket.create_connection((host, port), timeout=3).close()
        print("reached", host, port)
    except OSError as e:
        print("refused", host, port, type(e).__name__)
`;
    const run = await call(researchContext('pia', 'pro'), 'run_python', { code });
    const out = (run.structuredContent as { stdout: string }).stdout;
    expect(out).not.toContain('reached');
    expect(out.match(/^refused /gm)).toHaveLength(4);

    const proxy = await startIndexProxy({ socketPath: join(root, 'proxy.sock') });
    try {
      expect(await connectThrough(proxy, 'example.com:443')).toBe('HTTP/1.1 403 Forbidden');
      expect(await connectThrough(proxy, '127.0.0.1:19092')).toBe('HTTP/1.1 403 Forbidden');
      expect(await connectThrough(proxy, 'pypi.org:80')).toBe('HTTP/1.1 403 Forbidden');
      expect(await connectThrough(proxy, 'pypi.org.evil.example:443')).toBe('HTTP/1.1 403 Forbidden');
      expect(await connectThrough(proxy, 'PyPI.org:443')).toBe('HTTP/1.1 200 Connection Established');
      expect(proxy.refused).toEqual([
        'example.com:443',
        '127.0.0.1:19092',
        'pypi.org:80',
        'pypi.org.evil.example:443',
      ]);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
