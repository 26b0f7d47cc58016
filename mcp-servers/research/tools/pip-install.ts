import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, type ToolExtra } from '../../common/index.ts';
import { callerOf, type ResearchServerDeps } from '../deps.ts';
import { PipNotAllowedError } from '../workspace/index.ts';

/** Most characters of pip's output in the answer (its tail: errors come last). */
const MAX_OUTPUT_CHARS = 4000;

/** A requirement specifier by name and optional version (no URLs, paths or pip options). */
const REQUIREMENT =
  /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?(?:\[[A-Za-z0-9._,-]{1,100}\])?(?:(?:==|>=|<=|~=|!=|<|>)[A-Za-z0-9.*+!]{1,40})?$/;

export const pipInstallInput = z.object({
  packages: z
    .array(
      z
        .string()
        .regex(
          REQUIREMENT,
          'expected a package name with an optional version, e.g. "tabulate" or "tabulate==0.9.0" (no URLs, paths or options)',
        ),
    )
    .min(1, 'name at least one package')
    .max(10, 'at most 10 packages per call')
    .describe(
      'Packages from the Python Package Index, by name with an optional version (e.g. ["tabulate==0.9.0"]); installed into your folder, importable from your next run_python.',
    ),
});

function tailOf(text: string): string {
  return text.length <= MAX_OUTPUT_CHARS ? text : `…${text.slice(text.length - MAX_OUTPUT_CHARS)}`;
}

/** `pip_install`: packages from the index into the caller's folder, where their licence allows it. */
export function registerPipInstallTool(server: McpServer, deps: ResearchServerDeps): void {
  server.registerTool(
    'pip_install',
    {
      title: 'pip install',
      description:
        'Install packages from the Python Package Index into your research folder (scratch/.site-packages), importable from your next run_python. Only pypi.org is reachable while pip runs; refused when your licence does not include pip. polars, pandas, numpy, scipy, statsmodels, duckdb and matplotlib are already installed.',
      inputSchema: pipInstallInput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    guard('pip_install', deps.logger, async (args: z.infer<typeof pipInstallInput>, extra: ToolExtra) => {
      const caller = callerOf(deps, extra);
      const r = await deps.research.workspaces
        .pipInstall({ userId: caller.userId, packages: args.packages, policy: caller.policy })
        .catch((error: unknown) => {
          if (error instanceof PipNotAllowedError) return error;
          throw error;
        });
      if (r instanceof PipNotAllowedError) {
        return { content: [{ type: 'text', text: r.message }], isError: true };
      }
      const secs = (r.durationMs / 1000).toFixed(1);
      const ok = r.exitCode === 0;
      const status = r.timedOut
        ? `pip was killed at the wall-time limit after ${secs} s`
        : ok
          ? `Installed ${args.packages.join(', ')} in ${secs} s; import them in your next run_python.`
          : `pip failed (exit ${r.exitCode ?? r.killedBy ?? '?'}) after ${secs} s`;
      const output = tailOf(`${r.stdout}${r.stderr === '' ? '' : `\n${r.stderr}`}`.trim());
      return {
        content: [{ type: 'text', text: output === '' ? status : `${status}\n\n${output}` }],
        ...(ok ? {} : { isError: true }),
        structuredContent: {
          packages: args.packages,
          exitCode: r.exitCode,
          timedOut: r.timedOut,
          durationMs: Math.round(r.durationMs),
          output,
        },
      };
    }),
  );
}
