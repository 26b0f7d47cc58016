/** Test helper: a workspace server over the test services, linked to an MCP client. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { fixedContext, type RequestContext } from '../common/index.ts';
import type { McpServices } from '../services.ts';
import { createWorkspaceServer } from '../workspace/index.ts';
import { linkClient } from './link-client.ts';

/** An MCP client of a workspace server over `services`' workspaces and market, acting as `ctx`. */
export function linkWorkspaceClient(
  services: McpServices,
  ctx: RequestContext,
): Promise<{ client: Client; close(): Promise<void> }> {
  return linkClient(
    createWorkspaceServer({
      workspaces: services.workspaces,
      market: services.market,
      resolveContext: fixedContext(ctx),
    }).server,
  );
}
