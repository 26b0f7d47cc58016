/** Test helper: MCP services over a store filled from ../shared/data, with a silent logger. */
import { createLogger } from '../../core/logger.ts';
import { createBackfillJobs } from '../backfill/index.ts';
import { type McpServices, openMcpServices } from '../services.ts';
import { fakeBackfillService } from './fake-backfill.ts';
import { filledTempStore } from './fill-store.ts';

/** Opens services over a fresh filled store; `cleanup` closes and deletes it. */
export async function openTestServices(): Promise<{ services: McpServices; cleanup(): void }> {
  const store = await filledTempStore();
  const services = await openMcpServices({
    dataDir: store.dir,
    logger: createLogger({ name: 'test', level: 'silent' }),
    backfill: createBackfillJobs(fakeBackfillService()),
    alertLimits: { free: 2, pro: 10_000 },
  });
  return {
    services,
    cleanup() {
      services.close();
      store.cleanup();
    },
  };
}
