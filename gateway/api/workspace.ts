/**
 * The caller's own workspace: read it, set what its chart shows, add a drawing, remove one. The
 * identity alone names the workspace; nothing in the URL or body can point at another user's.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import { drawingSchema } from '../../mcp-servers/charting/render/index.ts';
import {
  changeChart,
  chartChangeSchema,
  resolveDrawing,
  type WorkspaceKey,
  withDrawing,
} from '../../mcp-servers/workspace/index.ts';
import type { ApiDeps } from './deps.ts';
import { type ApiEnv, identityOf } from './identity.ts';
import { parseOr400 } from './params.ts';

/** `PUT /workspace/drawings` body: one drawing of the charting catalogue, nothing else. */
const addDrawingBody = z.strictObject({ drawing: drawingSchema });

/**
 * `PUT /workspace/chart` body: the series the user switched to on the page, checked as the MCP
 * `set_chart` checks it (same schema and function); range, bars and theme keep their value.
 */
const setChartBody = chartChangeSchema
  .pick({ exchange: true, symbol: true, period: true })
  .required({ symbol: true, period: true })
  .strict();

const readJson = async (req: { json(): Promise<unknown> }, example: string): Promise<unknown> =>
  req.json().catch(() => {
    throw new InvalidInputError('body', `not JSON; send ${example}`);
  });

export function workspaceRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const keyOf = (c: Parameters<typeof identityOf>[0]): WorkspaceKey => {
    const { userId, workspaceId } = identityOf(c);
    return { userId, workspaceId };
  };

  return new Hono<ApiEnv>()
    .get('/workspace', async (c) => c.json(await deps.workspaces.load(keyOf(c))))
    .put('/workspace/chart', async (c) => {
      const body = await readJson(c.req, '{"exchange": "BINANCE", "symbol": "BTCUSDT", "period": "1m"}');
      const workspace = await changeChart(deps, keyOf(c), parseOr400(setChartBody, body));
      return c.json({ workspace });
    })
    .put('/workspace/drawings', async (c) => {
      const body = await readJson(c.req, '{"drawing": {...}}');
      const key = keyOf(c);
      const drawing = await resolveDrawing(deps, key, parseOr400(addDrawingBody, body).drawing);
      let id = '';
      const workspace = await deps.workspaces.update(key, (current) => {
        const added = withDrawing(current, drawing);
        id = added.id;
        return added.workspace;
      });
      return c.json({ id, workspace }, 201);
    })
    .delete('/workspace/drawings/:id', async (c) => {
      const id = c.req.param('id');
      let found = false;
      const workspace = await deps.workspaces.update(keyOf(c), (current) => {
        found = current.drawings.some((d) => d.id === id);
        return found ? { ...current, drawings: current.drawings.filter((d) => d.id !== id) } : current;
      });
      if (!found) return c.json({ error: `no drawing "${id}" in your workspace` }, 404);
      return c.json({ workspace });
    });
}
