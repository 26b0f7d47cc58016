/** What the research tests share: the real venv they need, a request context, one tool call. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fixedContext, type RequestContext } from '../../common/index.ts';
import { callTool, linkClient } from '../../testing/link-client.ts';
import { createResearchServer } from '../server.ts';
import { DEFAULT_VENV_DIR, type ResearchService } from '../service.ts';

/** The venv the tests run Python in: QF_RESEARCH_VENV, or the one deploy/python/setup.sh makes. */
export const RESEARCH_VENV = process.env.QF_RESEARCH_VENV ?? DEFAULT_VENV_DIR;

/** Throws, naming the script that makes it, when {@link RESEARCH_VENV} is not a venv. */
export function assertResearchVenv(): void {
  if (!existsSync(join(RESEARCH_VENV, 'pyvenv.cfg'))) {
    throw new Error(
      `The research venv is missing at ${RESEARCH_VENV}: create it with "bash deploy/python/setup.sh" (takes a minute or two; .ci/run does it), or point QF_RESEARCH_VENV at one.`,
    );
  }
}

/** A request of `userId` with `licence` in their main workspace. */
export const researchContext = (userId: string, licence: string): RequestContext => ({
  userId,
  workspaceId: 'main',
  channel: 'test',
  licence,
});

/** Calls `tool` as `context` through an MCP client linked to a research server over `research`. */
export async function callResearchTool(
  research: ResearchService,
  context: RequestContext,
  tool: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  const { client, close } = await linkClient(
    createResearchServer({ research, resolveContext: fixedContext(context) }).server,
  );
  try {
    return await callTool(client, tool, args);
  } finally {
    await close();
  }
}
