/**
 * The research server through an MCP client, over real bwrap, the real venv and a store filled
 * from the recorded data: a computation checked against TS, plots as images, each run a commit in
 * its user's repository, users kept apart, writes only under src/, free folders swept when idle.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedData } from '../../test/support/index.ts';
import { fixedContext, type RequestContext } from '../common/index.ts';
import { fillStore } from '../testing/fill-store.ts';
import { callTool, linkClient, textOf } from '../testing/link-client.ts';
import { createResearchServer, openResearchService, type ResearchService } from './index.ts';
import { assertResearchVenv, callResearchTool, RESEARCH_VENV, researchContext } from './testing/research.ts';
import { commitSubject } from './workspace/index.ts';

const IDLE_MS = 10 * 60_000;
const alice = researchContext('alice', 'pro');
const bob = researchContext('bob', 'pro');

let root: string;
let dataDir: string;
let researchDir: string;
let nowMs = Date.UTC(2024, 8, 1);
const services: ResearchService[] = [];

function open(): ResearchService {
  const s = openResearchService({
    dataDir,
    researchDir,
    venvDir: RESEARCH_VENV,
    idleMs: IDLE_MS,
    sweepEveryMs: 0,
    now: () => nowMs,
    defaultLimits: { wallMs: 60_000 },
  });
  services.push(s);
  return s;
}

async function connect(context: RequestContext, research = services[0]!) {
  return linkClient(createResearchServer({ research, resolveContext: fixedContext(context) }).server);
}

const call = (context: RequestContext, tool: string, args: Record<string, unknown> = {}) =>
  callResearchTool(services[0]!, context, tool, args);

function structured<T>(r: CallToolResult): T {
  if (r.isError === true) throw new Error(textOf(r));
  return r.structuredContent as T;
}

function git(userId: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', join(researchDir, userId, '.git'), ...args], { encoding: 'utf8' });
}

/** Realised volatility of 1m log returns (last trade price per minute), from the recorded CSV itself. */
function realisedVolFromCsv(): { minutes: number; rv: number } {
  const raw = gunzipSync(
    readFileSync(recordedData('trades/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz')),
  ).toString('utf8');
  const last = new Map<number, number>();
  for (const line of raw.split('\n')) {
    if (line === '') continue;
    const [, price = '', , , time = ''] = line.split(',');
    last.set(Math.floor(Number(time) / 60_000), Number(price));
  }
  const closes = [...last.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
  let sum = 0;
  for (let i = 1; i < closes.length; i++) sum += Math.log(closes[i]! / closes[i - 1]!) ** 2;
  return { minutes: closes.length, rv: Math.sqrt(sum) };
}

beforeAll(async () => {
  assertResearchVenv();
  root = mkdtempSync(join(tmpdir(), 'qf-research-test-'));
  dataDir = join(root, 'data');
  researchDir = join(dataDir, 'research');
  await fillStore(dataDir);
  open();
}, 180_000);

afterAll(() => {
  for (const s of services) s.close();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

const VOL_CODE = `# realised volatility of BTCUSDT 1m log returns from the stored trades
import json, math
import polars as pl
import matplotlib.pyplot as plt
import qf
t = qf.trades("BTCUSDT")
m = (t.with_columns((pl.col("time_us") // 60_000_000).alias("minute"))
      .group_by("minute", maintain_order=True).agg(pl.col("price").last().alias("close"))
      .sort("minute"))
r = m.select(pl.col("close").log().diff().alias("r")).drop_nulls()["r"]
qf.show(m.with_columns(pl.col("close").log().diff().alias("r")), "minutes")
fig, ax = plt.subplots()
ax.plot(m["minute"].to_list(), m["close"].to_list())
fig.savefig("/workspace/scratch/out/close.png")
print(json.dumps({"minutes": m.height, "rv": math.sqrt((r ** 2).sum())}))
`;

describe('research server', () => {
  it('lists its six tools, each field described', async () => {
    const { client, close } = await connect(alice);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'history',
      'list_files',
      'pip_install',
      'read_file',
      'run_python',
      'write_file',
    ]);
    for (const t of tools) {
      for (const [field, schema] of Object.entries(t.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${t.name}.${field}`).toBeTruthy();
      }
    }
    await close();
  });

  it("run_python computes realised volatility of BTCUSDT 1m log returns from the stored trades, equal to TS over the recorded file; a plot comes back as an image; the code is a commit in alice's repository", async () => {
    const r = await call(alice, 'run_python', { code: VOL_CODE });
    const s = structured<{
      exitCode: number;
      stdout: string;
      stderr: string;
      commit: string;
      file: string;
      plots: string[];
      tables: { name: string; rows: number; csv: string }[];
      files: { path: string }[];
    }>(r);
    expect(s.exitCode, s.stderr).toBe(0);
    const got = JSON.parse(s.stdout.trim().split('\n').at(-1)!) as { minutes: number; rv: number };
    const want = realisedVolFromCsv();
    expect(want.minutes).toBeGreaterThan(10);
    expect(got.minutes).toBe(want.minutes);
    expect(got.rv).toBeCloseTo(want.rv, 12);

    // The plot, as image content, is a PNG.
    const images = r.content.filter((c) => c.type === 'image');
    expect(images).toHaveLength(1);
    expect(
      Buffer.from((images[0] as { data: string }).data, 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(s.plots).toEqual(['scratch/out/close.png']);
    // The table qf.show wrote, bounded, with its row count.
    expect(s.tables).toHaveLength(1);
    expect(s.tables[0]).toMatchObject({ name: 'minutes', rows: want.minutes });
    expect(s.tables[0]!.csv.split('\n')[0]).toBe('minute,close,r');
    expect(s.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['scratch/out/close.png', 'scratch/out/minutes.csv']),
    );

    // The code is the commit's src/runs/1.py, authored as QuantForge research alice, with its intent as subject.
    expect(s.file).toBe('src/runs/1.py');
    expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git('alice', 'show', `${s.commit}:src/runs/1.py`)).toBe(VOL_CODE);
    expect(git('alice', 'log', '-1', '--format=%H|%an|%s')).toBe(
      `${s.commit}|QuantForge research alice|realised volatility of BTCUSDT 1m log returns from the stored trades\n`,
    );
    // history says the same through the tool.
    const h = structured<{ commits: { id: string; subject: string; files: string[] }[] }>(
      await call(alice, 'history'),
    );
    expect(h.commits[0]).toMatchObject({ id: s.commit, files: ['src/runs/1.py'] });
  }, 120_000);

  it("keeps users apart: bob's list_files, read_file and history never show alice's", async () => {
    const code = 'print("bob here")\n';
    const run = structured<{ exitCode: number; file: string; commit: string }>(
      await call(bob, 'run_python', { code }),
    );
    expect(run).toMatchObject({ exitCode: 0, file: 'src/runs/1.py' });
    const files = structured<{ files: { path: string }[] }>(await call(bob, 'list_files'));
    expect(files.files.map((f) => f.path)).toEqual(['src/runs/1.py']);
    // Same path, bob's own file.
    expect(textOf(await call(bob, 'read_file', { path: 'src/runs/1.py' }))).toContain('bob here');
    expect(textOf(await call(bob, 'read_file', { path: 'src/runs/1.py' }))).not.toContain('realised');
    for (const path of [
      '../alice/src/runs/1.py',
      'src/../../alice/src/runs/1.py',
      `${researchDir}/alice/src/runs/1.py`,
    ]) {
      const r = await call(bob, 'read_file', { path });
      expect(r.isError, path).toBe(true);
      expect(textOf(r)).toMatch(/^path: /);
    }
    expect(textOf(await call(bob, 'read_file', { path: 'scratch/out/close.png' }))).toMatch(/^path: no file/);
    const h = structured<{ commits: { id: string }[] }>(await call(bob, 'history'));
    expect(h.commits.map((c) => c.id)).toEqual([run.commit]);
    expect(git('bob', 'log', '--format=%an')).toBe('QuantForge research bob\n');
  }, 60_000);

  it('writes only under src/: other paths and symlinks planted by a run are refused with a clear error', async () => {
    for (const path of [
      'scratch/x.py',
      'x.py',
      '../x.py',
      '/etc/passwd',
      '.git/config',
      'src/../.git/config',
      'src/.git/hooks/pre-commit',
    ]) {
      const r = await call(alice, 'write_file', { path, content: 'x = 1\n' });
      expect(r.isError, path).toBe(true);
      expect(textOf(r), path).toMatch(/^path: .*(src\/|dot-files)/);
    }
    const planted = await call(alice, 'run_python', {
      code: 'import os\nos.symlink("/etc", "/workspace/src/etc_dir")\nos.symlink("/etc/hostname", "/workspace/src/host")\nprint("planted")\n',
    });
    expect(structured<{ exitCode: number }>(planted).exitCode).toBe(0);
    const viaDir = await call(alice, 'write_file', { path: 'src/etc_dir/qf-escape', content: 'x' });
    expect(textOf(viaDir)).toMatch(/^path: src\/etc_dir\/qf-escape leads outside src\//);
    expect(existsSync('/etc/qf-escape')).toBe(false);
    const viaFile = await call(alice, 'write_file', { path: 'src/host', content: 'x' });
    expect(textOf(viaFile)).toMatch(/^path: src\/host is a symlink/);
    const read = await call(alice, 'read_file', { path: 'src/host' });
    expect(textOf(read)).toMatch(/^path: src\/host leads outside src\//);

    // A write under src/ is a commit, and the next run imports it.
    const w = structured<{ path: string; commit: string }>(
      await call(alice, 'write_file', { path: 'src/helpers.py', content: 'ANSWER = 42\n' }),
    );
    expect(git('alice', 'log', '-1', '--format=%H %s')).toBe(`${w.commit} write src/helpers.py\n`);
    const r = structured<{ stdout: string; file: string }>(
      await call(alice, 'run_python', {
        code: 'from helpers import ANSWER\nprint(ANSWER)\n',
        file: 'src/answer.py',
      }),
    );
    expect(r).toMatchObject({ stdout: '42\n', file: 'src/answer.py' });
    expect(git('alice', 'log', '-1', '--format=%s')).toBe('run 3: src/answer.py\n');
  }, 60_000);

  it('answers a bad call with the field named', async () => {
    expect(textOf(await call(alice, 'run_python', { code: '' }))).toMatch(/code/);
    expect(textOf(await call(alice, 'run_python', { code: 'print(1)', file: 'scratch/a.py' }))).toMatch(
      /^file: /,
    );
    expect(textOf(await call(alice, 'history', { limit: 0 }))).toMatch(/limit/);
  });

  it("deletes a free user's folder once idle past the timeout, keeps a paid one, and a new instance (a restart) sweeps what an old one left", async () => {
    const carol = researchContext('carol', 'free');
    const dave = researchContext('dave', 'free');
    for (const c of [carol, dave]) {
      expect(
        structured<{ exitCode: number }>(await call(c, 'run_python', { code: 'print(1)\n' })).exitCode,
      ).toBe(0);
    }
    const research = services[0]!;
    nowMs += IDLE_MS - 1;
    await call(dave, 'list_files'); // dave is still active
    expect(await research.workspaces.sweep()).toEqual([]);
    nowMs += 1;
    expect(await research.workspaces.sweep()).toEqual(['carol']);
    expect(existsSync(join(researchDir, 'carol'))).toBe(false);
    expect(existsSync(join(researchDir, 'dave'))).toBe(true);

    // A restart: a new instance over the same folders, far later.
    nowMs += 100 * IDLE_MS;
    const restarted = open();
    expect(await restarted.workspaces.sweep()).toEqual(['dave']);
    const h = structured<{ commits: { subject: string }[] }>(
      await (async () => {
        const { client, close } = await connect(alice, restarted);
        try {
          return await callTool(client, 'history');
        } finally {
          await close();
        }
      })(),
    );
    expect(h.commits.map((c) => c.subject)).toEqual([
      'run 3: src/answer.py',
      'write src/helpers.py',
      'run 2',
      'realised volatility of BTCUSDT 1m log returns from the stored trades',
    ]);
  }, 60_000);

  it('takes the commit subject from the leading comment or docstring', () => {
    expect(commitSubject('#!/usr/bin/env python\n# hourly vol\nx=1', 4, 'src/runs/4.py')).toBe('hourly vol');
    expect(commitSubject('"""Drop recovery."""\n', 2, 'src/runs/2.py')).toBe('Drop recovery.');
    expect(commitSubject('x = 1\n', 7, 'src/runs/7.py')).toBe('run 7');
    expect(commitSubject('x = 1\n', 7, 'src/a.py')).toBe('run 7: src/a.py');
  });
});
