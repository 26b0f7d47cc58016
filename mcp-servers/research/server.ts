import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { BuiltServer } from '../common/index.ts';
import type { ResearchServerDeps } from './deps.ts';
import { registerTools } from './tools/index.ts';

/**
 * The research MCP server: Python over the stored history in the caller's own sandbox, with
 * their code kept in a git repository. The user comes from `deps.resolveContext`, never from
 * an argument.
 *
 * @example
 * const research = openResearchService({ dataDir });
 * const { server } = createResearchServer({ research, resolveContext });
 */
export function createResearchServer(deps: ResearchServerDeps): BuiltServer {
  const server = new McpServer(
    { name: 'quantforge-research', version: '0.1.0' },
    {
      instructions:
        "Your own Python sandbox next to the stored market history (read-only, no network). run_python runs code (import qf: qf.bars, qf.trades, qf.load, qf.show) and commits it to your folder's git history; plots saved as PNG come back as images. list_files, read_file, write_file (src/ only) and history work on the same folder; pip_install adds packages from PyPI where your licence allows it.",
    },
  );
  registerTools(server, deps);
  return { server, close: () => server.close() };
}
