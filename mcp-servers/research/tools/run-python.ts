import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { guard, type ToolExtra } from '../../common/index.ts';
import { type Caller, callerOf, type ResearchServerDeps } from '../deps.ts';
import type { WorkspaceRun } from '../workspace/index.ts';

/** Most characters of stdout (head) and stderr (tail) in the answer. */
export const MAX_STDOUT_CHARS = 8000;
export const MAX_STDERR_CHARS = 4000;
/** Tables (qf.show) shown per run, rows shown per table, bytes read per table. */
export const MAX_TABLES = 5;
export const MAX_TABLE_ROWS = 30;
const MAX_TABLE_BYTES = 64 * 1024;
/** Plots returned as images per run, and the largest one returned. */
export const MAX_PLOTS = 4;
export const MAX_PLOT_BYTES = 2 * 1024 * 1024;
const MAX_FILES_LISTED = 50;

export const runPythonInput = z.object({
  code: z
    .string()
    .min(1, 'give the Python code to run')
    .max(200_000, 'at most 200,000 characters of code')
    .describe(
      'Python 3 code. `import qf` reads the store: qf.bars(symbol, period, start, end), qf.trades(symbol, start, end), qf.load("series://…"); qf.show(df, name) returns a table; save plots as PNG under /workspace/scratch/out/ (or src/). polars, pandas, numpy, scipy, statsmodels, duckdb, matplotlib are installed. No network.',
    ),
  file: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Where to save the code in your folder, under src/ (e.g. src/vol_by_hour.py); default src/runs/<n>.py.',
    ),
});

/** A table qf.show wrote this run: its first rows as CSV. */
interface ShownTable {
  readonly name: string;
  readonly path: string;
  /** Rows of the whole table; null when it was too big to read whole here. */
  readonly rows: number | null;
  readonly csv: string;
  readonly truncated: boolean;
}

function headOf(text: string, max: number): { text: string; cut: boolean } {
  return text.length <= max ? { text, cut: false } : { text: text.slice(0, max), cut: true };
}

function tailOf(text: string, max: number): { text: string; cut: boolean } {
  return text.length <= max ? { text, cut: false } : { text: text.slice(text.length - max), cut: true };
}

async function readTable(deps: ResearchServerDeps, caller: Caller, path: string): Promise<ShownTable> {
  const { data, size } = await deps.research.workspaces.readFile(
    caller.userId,
    path,
    caller.policy,
    MAX_TABLE_BYTES,
  );
  const lines = data.toString('utf8').split('\n');
  lines.pop(); // '' after the last newline, or a line cut at the byte bound
  const whole = data.length === size;
  const shown = lines.slice(0, MAX_TABLE_ROWS + 1);
  const name = path.slice(path.lastIndexOf('/') + 1, -'.csv'.length);
  // Rows of the whole file when it was read whole (qf.show printed the exact count either way).
  const rows = whole ? Math.max(0, lines.length - 1) : null;
  return { name, path, rows, csv: shown.join('\n'), truncated: !whole || lines.length > shown.length };
}

function statusLine(r: WorkspaceRun): string {
  const where = `Run ${r.run} (${r.file}${r.commit === null ? '' : `, commit ${r.commit.slice(0, 12)}`})`;
  const secs = `${(r.durationMs / 1000).toFixed(2)} s`;
  if (r.timedOut) return `${where}: killed at the wall-time limit after ${secs}; output so far below.`;
  if (r.killedBy === 'cpu') return `${where}: stopped at the CPU-time limit after ${secs}.`;
  if (r.killedBy === 'signal')
    return `${where}: killed by a signal (memory or process limit?) after ${secs}.`;
  return r.exitCode === 0
    ? `${where}: finished in ${secs}.`
    : `${where}: Python exited with code ${r.exitCode} after ${secs} (see stderr).`;
}

/** `run_python`: runs code in the caller's sandbox, commits it, returns output, tables and plots. */
export function registerRunPythonTool(server: McpServer, deps: ResearchServerDeps): void {
  server.registerTool(
    'run_python',
    {
      title: 'Run Python',
      description:
        "Run Python code in your own sandbox next to the stored market history (read-only), with no network. The code is saved in your research folder and committed to its git history. Returns stdout (bounded), stderr's tail, the first rows of each table passed to qf.show, PNG plots written during the run as images, the files written and the commit id.",
      inputSchema: runPythonInput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    guard('run_python', deps.logger, async (args: z.infer<typeof runPythonInput>, extra: ToolExtra) => {
      const caller = callerOf(deps, extra);
      const r = await deps.research.workspaces.run({
        userId: caller.userId,
        code: args.code,
        ...(args.file === undefined ? {} : { file: args.file }),
        policy: caller.policy,
      });
      const tableFiles = r.filesWritten.filter((f) => /^scratch\/out\/[^/]+\.csv$/.test(f.path));
      const tables: ShownTable[] = [];
      for (const f of tableFiles.slice(0, MAX_TABLES)) tables.push(await readTable(deps, caller, f.path));
      const pngs = r.filesWritten.filter((f) => f.path.endsWith('.png'));
      const content: CallToolResult['content'] = [];
      const plots: string[] = [];
      const skipped: string[] = [];
      for (const f of pngs) {
        if (plots.length >= MAX_PLOTS || f.bytes > MAX_PLOT_BYTES) {
          skipped.push(f.path);
          continue;
        }
        const { data } = await deps.research.workspaces.readFile(caller.userId, f.path, caller.policy);
        content.push({ type: 'image', data: data.toString('base64'), mimeType: 'image/png' });
        plots.push(f.path);
      }
      const out = headOf(r.stdout, MAX_STDOUT_CHARS);
      const err = tailOf(r.stderr, MAX_STDERR_CHARS);
      const parts = [statusLine(r)];
      if (out.text !== '') {
        parts.push(
          `stdout${out.cut || r.outputTruncated ? ` (first ${out.text.length} of ${r.stdout.length}${r.outputTruncated ? '+' : ''} characters)` : ''}:\n${out.text}`,
        );
      }
      if (err.text !== '')
        parts.push(`stderr${err.cut ? ` (last ${err.text.length} characters)` : ''}:\n${err.text}`);
      for (const t of tables) {
        parts.push(
          `Table ${t.name} (${t.rows === null ? 'large' : `${t.rows} rows`}${t.truncated ? `; first rows shown, all in ${t.path}` : ''}):\n${t.csv}`,
        );
      }
      if (tableFiles.length > MAX_TABLES)
        parts.push(`${tableFiles.length - MAX_TABLES} more tables in scratch/out/.`);
      if (plots.length > 0) parts.push(`Plots (images below): ${plots.join(', ')}`);
      if (skipped.length > 0)
        parts.push(`Plots not returned (more than ${MAX_PLOTS}, or over 2 MB): ${skipped.join(', ')}`);
      const files = r.filesWritten.slice(0, MAX_FILES_LISTED);
      parts.push(
        `Files written: ${files.length === 0 ? 'none' : files.map((f) => `${f.path} (${f.bytes} B)`).join(', ')}${r.filesWritten.length > files.length ? `, and ${r.filesWritten.length - files.length} more` : ''}`,
      );
      content.unshift({ type: 'text', text: parts.join('\n\n') });
      return {
        content,
        structuredContent: {
          run: r.run,
          file: r.file,
          commit: r.commit,
          exitCode: r.exitCode,
          timedOut: r.timedOut,
          ...(r.killedBy === undefined ? {} : { killedBy: r.killedBy }),
          durationMs: Math.round(r.durationMs),
          firstOutputMs: r.firstOutputMs === null ? null : Math.round(r.firstOutputMs),
          stdout: out.text,
          stderr: err.text,
          tables: tables.map((t) => ({ name: t.name, path: t.path, rows: t.rows, csv: t.csv })),
          plots,
          files: r.filesWritten.map((f) => ({ path: f.path, bytes: f.bytes })),
        },
      };
    }),
  );
}
