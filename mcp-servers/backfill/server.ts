import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { BuiltServer } from '../common/index.ts';
import type { BackfillServerDeps } from './deps.ts';
import { registerBackfillStatusTool } from './tools/backfill-status.ts';
import { registerCancelBackfillTool } from './tools/cancel-backfill.ts';
import { registerRequestBackfillTool } from './tools/request-backfill.ts';

/** The backfill MCP server: queue, follow and cancel jobs that fill the store from venue history. */
export function createBackfillServer(deps: BackfillServerDeps): BuiltServer {
  const server = new McpServer(
    { name: 'quantforge-backfill', version: '0.1.0' },
    {
      instructions:
        'Fill gaps in the local store from venue REST history. request_backfill returns a job id; poll backfill_status; cancel_backfill stops it.',
    },
  );
  registerRequestBackfillTool(server, deps);
  registerBackfillStatusTool(server, deps);
  registerCancelBackfillTool(server, deps);
  return { server, close: () => server.close() };
}
