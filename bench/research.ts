/**
 * Research sandbox: time from run_python called to first output (p50, warm), and a polars group-by over ~1M stored trades beside the same query in DuckDB directly.
 *
 * Usage: npm run bench -- research [runs=20]
 * Fills a temp store with the recorded BTCUSDT spot trades (../shared/data, 19,904 trades)
 * repeated with shifted times and seqs to ~1M rows, then calls run_python through an in-process
 * MCP client (real bwrap, the venv of deploy/python/setup.sh). The group-by is per minute: trade
 * count, volume, VWAP and last price, over the store's trade Parquet files; polars runs inside the
 * sandbox (timed in Python, and the whole run_python call), DuckDB in this process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fixedContext } from '../mcp-servers/common/index.ts';
import { createResearchServer, openResearchService } from '../mcp-servers/research/index.ts';
import { btcTrades } from '../mcp-servers/testing/fill-store.ts';
import { callTool, linkClient, textOf } from '../mcp-servers/testing/link-client.ts';
import { createStoreWriter, parseStoreConfig } from '../pipeline/store/index.ts';

const runs = Number(process.argv[2] ?? 20);
const TARGET_TRADES = 1_000_000;
const REPEATS = 5;

const dir = mkdtempSync(join(tmpdir(), 'qf-bench-research-'));
const q = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const ms = (x: number): string => `${x.toFixed(1).padStart(8)} ms`;

try {
  // ~1M trades: the recording repeated, each copy shifted past the last in time and seq.
  const base = btcTrades();
  const span = base.at(-1)!.timeUs - base[0]!.timeUs + 60_000_000;
  const copies = Math.ceil(TARGET_TRADES / base.length);
  const config = parseStoreConfig({ dataDir: dir, flush: { intervalMs: 0 } });
  const writer = await createStoreWriter({}, config);
  let t0 = performance.now();
  for (let k = 0; k < copies; k++) {
    await writer.appendTrades(
      base.map((t) => ({
        ...t,
        seq: t.seq + k * base.length,
        timeUs: t.timeUs + k * span,
        tradeId: `${k}-${t.tradeId}`,
      })),
    );
    if (k % 10 === 9) await writer.flush();
  }
  await writer.flush();
  await writer.close();
  const total = copies * base.length;
  process.stdout.write(
    `store: ${total.toLocaleString('en')} trades (${copies} shifted copies of the recording) written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );

  const research = openResearchService({ dataDir: dir, sweepEveryMs: 0, defaultLimits: { wallMs: 120_000 } });
  const { client, close } = await linkClient(
    createResearchServer({
      research,
      resolveContext: fixedContext({ userId: 'bench', workspaceId: 'w', channel: 'bench', licence: 'pro' }),
    }).server,
  );
  const run = async (code: string): Promise<{ s: Record<string, unknown>; wallMs: number }> => {
    const t = performance.now();
    const r: CallToolResult = await callTool(client, 'run_python', { code });
    const wallMs = performance.now() - t;
    const s = r.structuredContent as Record<string, unknown>;
    if (r.isError || s.exitCode !== 0) throw new Error(textOf(r));
    return { s, wallMs };
  };

  // 1. First output: a run that prints at once; warm (venv and page cache hot after 3 runs).
  for (let i = 0; i < 3; i++) await run('print("ready")\n');
  const first: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { s, wallMs } = await run(`# first output ${i}\nprint("ready")\n`);
    first.push(s.firstOutputMs as number);
    whole.push(wallMs);
  }
  process.stdout.write(
    `run_python called -> first output (warm, n=${runs})   p50 ${ms(q(first, 0.5))}   p90 ${ms(q(first, 0.9))}   (goal <= 300 ms)\n`,
  );
  process.stdout.write(
    `run_python whole call incl. git commit (n=${runs})     p50 ${ms(q(whole, 0.5))}   p90 ${ms(q(whole, 0.9))}\n`,
  );

  // 2. The same per-minute group-by: polars in the sandbox, DuckDB here.
  const polarsCode = `# per-minute group-by over the stored trades (bench)
import glob, json, time, statistics
import polars as pl
files = sorted(glob.glob("/qf/store/trades/**/*.parquet", recursive=True))
times = []
for _ in range(${REPEATS}):
    t = time.perf_counter()
    out = (pl.scan_parquet(files)
        .select((pl.col("time_us") // 60_000_000).alias("minute"), pl.col("seq"),
                pl.col("price").cast(pl.Float64).alias("price"), pl.col("quantity").cast(pl.Float64).alias("qty"))
        .group_by("minute")
        .agg(pl.len().alias("n"), pl.col("qty").sum().alias("volume"),
             ((pl.col("price") * pl.col("qty")).sum() / pl.col("qty").sum()).alias("vwap"),
             pl.col("price").sort_by("seq").last().alias("last"))
        .collect())
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"ms": statistics.median(times), "groups": out.height, "rows": int(out["n"].sum()), "files": len(files)}))
`;
  t0 = performance.now();
  const polars = await run(polarsCode);
  const pl = JSON.parse((polars.s.stdout as string).trim().split('\n').at(-1)!) as {
    ms: number;
    groups: number;
    rows: number;
    files: number;
  };

  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const sql = `SELECT time_us // 60000000 AS minute, count(*) AS n, sum(quantity::DOUBLE) AS volume,
      sum(price::DOUBLE * quantity::DOUBLE) / sum(quantity::DOUBLE) AS vwap, arg_max(price::DOUBLE, seq) AS last
    FROM read_parquet('${dir}/trades/**/*.parquet') GROUP BY minute`;
  const duckTimes: number[] = [];
  let groups = 0;
  let rows = 0;
  for (let i = 0; i < REPEATS + 1; i++) {
    const t = performance.now();
    const reader = await conn.runAndReadAll(sql);
    const took = performance.now() - t;
    if (i > 0) duckTimes.push(took); // the first reads the files cold
    const rowsOut = reader.getRowObjects();
    groups = rowsOut.length;
    rows = rowsOut.reduce((a, r) => a + Number(r.n), 0);
  }
  conn.closeSync();
  duck.closeSync();
  const duckMs = q(duckTimes, 0.5);
  if (groups !== pl.groups || rows !== pl.rows) {
    throw new Error(`polars and DuckDB disagree: ${pl.groups}/${pl.rows} vs ${groups}/${rows}`);
  }
  process.stdout.write(
    `group-by per minute over ${rows.toLocaleString('en')} trades (${pl.files} files, ${groups} groups):\n` +
      `  polars in the sandbox (median of ${REPEATS}, in Python)   ${ms(pl.ms)}\n` +
      `  DuckDB directly, node-api (median of ${REPEATS}, warm)     ${ms(duckMs)}\n` +
      `  ratio polars / DuckDB                              ${(pl.ms / duckMs).toFixed(2).padStart(8)}\n` +
      `  (the polars run_python call as a whole: ${ms(polars.wallMs)}, interpreter start and imports included)\n`,
  );
  await close();
  research.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
