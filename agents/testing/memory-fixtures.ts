/** Helpers for memory and usage tests: a temp data dir, a logger that keeps its lines, contexts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import type { RequestContext } from '../../mcp-servers/common/context.ts';

/** A fresh data directory and its removal. */
export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'qf-agents-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A pino logger whose lines are kept as objects. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** A request context for `userId` in `workspaceId`. */
export function contextOf(userId: string, workspaceId = 'main', licence = 'pro'): RequestContext {
  return { userId, workspaceId, channel: 'web', licence };
}
