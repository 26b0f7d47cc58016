/**
 * Test fixture: the API mounted at `/api` behind a stub identity middleware — the header
 * `x-test-user: <userId>` makes the caller that user (workspace `main`); no header, no identity.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { filledTempStore } from '../../../mcp-servers/testing/fill-store.ts';
import { createWorkspaceStore } from '../../../mcp-servers/workspace/index.ts';
import { createStoreReader, parseStoreConfig, type StoreReader } from '../../../pipeline/store/index.ts';
import { type ApiDeps, type ApiEnv, createApiRoutes } from '../index.ts';

/** Mounts the API for `deps` behind the stub identity. */
export function apiApp(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use('*', async (c, next) => {
    const userId = c.req.header('x-test-user');
    if (userId !== undefined)
      c.set('identity', { userId, workspaceId: 'main', channel: 'web', licence: 'free' });
    await next();
  });
  app.route('/api', createApiRoutes(deps));
  return app;
}

/** A filled temp store, its reader and an empty workspace directory; `cleanup` removes both. */
export async function apiFixture(): Promise<{
  reader: StoreReader;
  deps: Pick<ApiDeps, 'market' | 'workspaces'>;
  cleanup(): void;
}> {
  const store = await filledTempStore();
  const reader = await createStoreReader(
    {},
    parseStoreConfig({ dataDir: store.dir, duckdb: { threads: 1 } }),
  );
  const wsDir = mkdtempSync(join(tmpdir(), 'qf-api-ws-'));
  return {
    reader,
    deps: { market: reader, workspaces: createWorkspaceStore({ dataDir: wsDir }) },
    cleanup() {
      reader.close();
      store.cleanup();
      rmSync(wsDir, { recursive: true, force: true });
    },
  };
}
