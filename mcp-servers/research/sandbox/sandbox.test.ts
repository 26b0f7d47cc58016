/**
 * The Python sandbox against real bwrap and the real venv (deploy/python/setup.sh): a computation
 * over a store built from the recorded data, and every escape attempt failing to escape.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreReader, parseStoreConfig } from '../../../pipeline/store/index.ts';
import { REPO_ROOT } from '../../../test/support/index.ts';
import { createSeriesRegistry } from '../../common/series-registry.ts';
import { fillStore } from '../../testing/fill-store.ts';
import { assertResearchVenv, RESEARCH_VENV } from '../testing/research.ts';
import { createPythonSandbox, type PythonSandbox, type RunPythonResult } from './index.ts';

const USER = 'alice';
const OTHER = 'bob';
const SANDBOX_UID = 64_055;

let root: string;
let dataDir: string;
let researchDir: string;
let sandbox: PythonSandbox;
let http: Server;
let httpPort: number;

function run(
  code: string,
  limits?: Parameters<PythonSandbox['runPython']>[0]['limits'],
): Promise<RunPythonResult> {
  return sandbox.runPython({ code, userId: USER, ...(limits === undefined ? {} : { limits }) });
}

/** The JSON object the code printed on its last line. */
function lastJson(r: RunPythonResult): Record<string, unknown> {
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`no JSON on the last line; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

/** Processes on this machine owned by `uid`. */
function processesOf(uid: number): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const uidLine = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (uidLine !== null && Number(uidLine[1]) === uid) out.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

beforeAll(async () => {
  assertResearchVenv();
  root = mkdtempSync(join(tmpdir(), 'qf-sandbox-test-'));
  dataDir = join(root, 'data');
  researchDir = join(dataDir, 'research');
  await fillStore(dataDir);
  // What must stay out of reach: secrets, config, state, workspaces, another user's folders.
  writeFileSync(join(dataDir, 'secrets.yaml'), 'anthropic: sk-ant-secret-in-file\n');
  writeFileSync(join(dataDir, 'config.yaml'), 'gateway: {}\n');
  for (const d of ['workspaces/alice', '_state', '_gateway', `series/${OTHER}`, `research/${OTHER}/src`]) {
    mkdirSync(join(dataDir, d), { recursive: true });
  }
  writeFileSync(join(dataDir, 'workspaces/alice/notes.md'), 'workspace note\n');
  writeFileSync(join(dataDir, '_state/offsets.json'), '{}\n');
  writeFileSync(join(dataDir, `research/${OTHER}/src/private.py`), 'SECRET = 1\n');
  writeFileSync(join(dataDir, `series/${OTHER}/zzzzzzzzzzz_aaaaaaaaaaaaaaaa.parquet`), 'not yours');
  sandbox = createPythonSandbox({
    venvDir: RESEARCH_VENV,
    qfPackageDir: join(REPO_ROOT, 'mcp-servers/research/python'),
    dataDir,
    researchDir,
    sandboxUid: SANDBOX_UID,
    defaultLimits: { wallMs: 60_000 },
  });
  http = createServer((_req, res) => res.end('local service'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpPort = (http.address() as AddressInfo).port;
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (http === undefined ? resolve() : http.close(() => resolve())));
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe('research sandbox', () => {
  it('computes realised volatility of BTCUSDT 1m log returns with qf.bars, equal to the same computation in TS, and writes a plot', async () => {
    const r = await run(`
import json, math
import polars as pl
import matplotlib.pyplot as plt
import qf
b = qf.bars("BTCUSDT", "1m", "2024-08-08T23:00", "2024-08-09T01:00")
r = b.select(pl.col("close").log().diff().alias("r")).drop_nulls()
fig, ax = plt.subplots()
ax.plot(b["time"].to_list(), b["close"].to_list())
fig.savefig("/workspace/scratch/close.png")
print(json.dumps({"bars": b.height, "first": int(b["open_time_us"][0]), "std": r["r"].std(), "sum": r["r"].sum()}))
`);
    expect(r.exitCode, r.stderr).toBe(0);
    const got = lastJson(r);

    const config = parseStoreConfig({ dataDir, duckdb: { threads: 1 } });
    const reader = await createStoreReader({}, config);
    try {
      const bars = await reader.getBars({
        venue: 'BINANCE',
        symbol: 'BTCUSDT',
        period: '1m',
        fromUs: Date.parse('2024-08-08T23:00:00Z') * 1000,
        toUs: Date.parse('2024-08-09T01:00:00Z') * 1000,
      });
      const closes = bars.map((b) => Number(b.close));
      const rets = closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
      const mean = rets.reduce((a, x) => a + x, 0) / rets.length;
      const std = Math.sqrt(rets.reduce((a, x) => a + (x - mean) ** 2, 0) / (rets.length - 1));
      expect(bars.length).toBeGreaterThan(5);
      expect(got.bars).toBe(bars.length);
      expect(got.first).toBe(bars[0]!.openTimeUs);
      expect(got.std as number).toBeCloseTo(std, 12);
      expect(got.sum as number).toBeCloseTo(Math.log(closes.at(-1)! / closes[0]!), 12);
    } finally {
      reader.close();
    }
    const png = r.filesWritten.find((f) => f.path === 'scratch/close.png');
    expect(png?.bytes).toBeGreaterThan(1000);
    const bytes = readFileSync(join(sandbox.userDirs(USER).scratch, 'close.png'));
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  }, 120_000);

  it('reads trades through the catalog, deduplicated by seq', async () => {
    const r = await run(`
import json, qf
t = qf.trades("BTCUSDT")
print(json.dumps({"rows": t.height, "unique": t["seq"].n_unique(), "first": int(t["seq"][0])}))
`);
    expect(r.exitCode, r.stderr).toBe(0);
    const got = lastJson(r);
    expect(got.rows).toBeGreaterThan(1000);
    expect(got.unique).toBe(got.rows);
    expect(got.first).toBe(1);
  }, 60_000);

  it("loads the user's own series:// reference with qf.load, and not another user's", async () => {
    const registry = createSeriesRegistry({ dataDir });
    try {
      const own = await registry.put(USER, 'BINANCE:BTCUSDT 1m bars', {
        columns: ['time', 'close'],
        rows: [
          ['2024-08-09T00:00:00Z', 61000.5],
          ['2024-08-09T00:01:00Z', 61010.25],
        ],
      });
      const theirs = await registry.put(OTHER, 'secret', { columns: ['x'], rows: [[1]] });
      const r = await run(`
import json, qf
df = qf.load(${JSON.stringify(own.uri)})
try:
    qf.load(${JSON.stringify(theirs.uri)})
    other = "loaded"
except LookupError as e:
    other = "refused"
print(json.dumps({"rows": df.height, "close": df["close"].sum(), "other": other}))
`);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(lastJson(r)).toEqual({ rows: 2, close: 122010.75, other: 'refused' });
    } finally {
      registry.close();
    }
  }, 60_000);

  it('has no network: no outside host, no Kafka, no local HTTP service', async () => {
    const r = await run(`
import json, socket
out = {}
for name, host, port in [("outside", "1.1.1.1", 443), ("dns", "8.8.8.8", 53), ("kafka", "127.0.0.1", 19092), ("http", "127.0.0.1", ${httpPort})]:
    try:
        s = socket.create_connection((host, port), timeout=3)
        s.close()
        out[name] = "connected"
    except OSError as e:
        out[name] = "refused:" + type(e).__name__
try:
    socket.getaddrinfo("pypi.org", 443)
    out["resolve"] = "resolved"
except OSError as e:
    out["resolve"] = "refused:" + type(e).__name__
print(json.dumps(out))
`);
    const got = lastJson(r);
    for (const k of ['outside', 'dns', 'kafka', 'http', 'resolve']) expect(got[k], k).toMatch(/^refused:/);
  }, 60_000);

  it('sees nothing of other users, workspaces, state, secrets or config', async () => {
    const paths = [
      join(dataDir, 'secrets.yaml'),
      join(dataDir, 'config.yaml'),
      join(dataDir, 'workspaces/alice/notes.md'),
      join(dataDir, '_state/offsets.json'),
      join(dataDir, `research/${OTHER}/src/private.py`),
      join(dataDir, `series/${OTHER}/zzzzzzzzzzz_aaaaaaaaaaaaaaaa.parquet`),
      '/qf/store/../secrets.yaml',
      '/qf/store/secrets.yaml',
      '/workspace/../research/bob/src/private.py',
      '/root/.bash_history',
      '/etc/shadow',
    ];
    const r = await run(`
import json, os
out = {}
for p in ${JSON.stringify(paths)}:
    try:
        with open(p) as f:
            out[p] = "READ:" + f.read(40)
    except OSError as e:
        out[p] = type(e).__name__
out["store"] = sorted(os.listdir("/qf/store"))
out["workspace"] = sorted(os.listdir("/workspace"))
out["series_exists"] = os.path.exists("/qf/series")
print(json.dumps(out))
`);
    const got = lastJson(r);
    for (const p of paths) expect(got[p], p).not.toMatch(/^READ:/);
    expect(got.store).toEqual(['_catalog', 'bars_1m', 'bars_5m', 'symbols', 'trades']);
    expect(got.workspace).toEqual(['scratch', 'src']);
  }, 60_000);

  it('writes only to src/ and scratch (and its private /tmp)', async () => {
    const r = await run(`
import json
out = {}
for p in ["/qf/store/_catalog/CURRENT", "/qf/store/hacked", "/qf/venv/hacked", "/qf/python/qf/hacked.py", "/qf/run/hacked", "/usr/hacked", "/hacked", "/etc/passwd", "/workspace/hacked", "/workspace/src/ok.txt", "/workspace/scratch/ok.txt", "/tmp/ok.txt"]:
    try:
        with open(p, "a") as f:
            f.write("x")
        out[p] = "written"
    except OSError as e:
        out[p] = type(e).__name__
print(json.dumps(out))
`);
    const got = lastJson(r);
    for (const [p, v] of Object.entries(got)) {
      if (p.endsWith('/ok.txt')) expect(v, p).toBe('written');
      else expect(v, p).toMatch(/Error$/);
    }
    expect(readFileSync(join(dataDir, '_catalog/CURRENT'), 'utf8')).toMatch(/^v\d{8}/);
    expect(existsSync(join(dataDir, 'hacked'))).toBe(false);
    expect(r.filesWritten.map((f) => f.path)).toEqual(['scratch/ok.txt', 'src/ok.txt']);
  }, 60_000);

  it('kills a run past its wall time and keeps what it printed', async () => {
    const r = await run(
      `
import time
print("started", flush=True)
while True:
    time.sleep(0.05)
`,
      { wallMs: 1500 },
    );
    expect(r.timedOut).toBe(true);
    expect(r.killedBy).toBe('timeout');
    expect(r.exitCode).toBeNull();
    expect(r.stdout).toContain('started');
    expect(processesOf(SANDBOX_UID)).toEqual([]);
  }, 60_000);

  it('stops a run at its CPU limit', async () => {
    const r = await run('print("spinning", flush=True)\nwhile True:\n    pass\n', {
      cpuSeconds: 1,
      wallMs: 20_000,
    });
    expect(r.timedOut).toBe(false);
    expect(r.killedBy).toBe('cpu');
    expect(r.stdout).toContain('spinning');
  }, 60_000);

  it('refuses memory past the limit', async () => {
    const r = await run(
      `
try:
    block = bytearray(3 * 1024**3)
    print("allocated")
except MemoryError:
    print("MemoryError")
`,
      { memoryBytes: 1024 ** 3 },
    );
    expect(r.stdout.trim()).toBe('MemoryError');
  }, 60_000);

  it('bounds a fork bomb and leaves no process behind', async () => {
    const r = await run(
      `
import os
refused = 0
print("bomb", flush=True)
while True:
    try:
        os.fork()
    except OSError:
        refused += 1
        if refused == 1 and os.getpid() > 0:
            print("fork refused", flush=True)
`,
      { maxProcesses: 32, wallMs: 2000 },
    );
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toContain('fork refused');
    expect(processesOf(SANDBOX_UID)).toEqual([]);
  }, 60_000);

  it('has no secrets in its environment', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-test-must-not-leak';
    try {
      const r = await run(`
import json, os
env = dict(os.environ)
raw = open("/proc/self/environ", "rb").read().decode()
try:
    init = open("/proc/1/environ", "rb").read().decode()
except OSError as e:
    init = type(e).__name__
print(json.dumps({"env": env, "raw": raw, "init": init}))
`);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('sk-ant');
      expect(r.stdout).not.toContain('ANTHROPIC');
      const env = lastJson(r).env as Record<string, string>;
      expect(Object.keys(env).sort()).toEqual([
        'HOME',
        'LANG',
        'MPLBACKEND',
        'MPLCONFIGDIR',
        'PATH',
        'PWD',
        'PYTHONDONTWRITEBYTECODE',
        'PYTHONPATH',
        'PYTHONUNBUFFERED',
        'QF_SERIES',
        'QF_STORE',
        'QF_USER_SITE',
        'TMPDIR',
      ]);
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
    }
  }, 60_000);
});
