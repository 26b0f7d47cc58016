import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.ts';
import { tempStore } from '../pipeline/store/testing/temp-store.ts';
import { configSchema, type Secrets, secretsSchema } from './config/index.ts';
import { startPlatform } from './platform.ts';

const logger = createLogger({ name: 'platform-test', level: 'silent' });
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Handles that keep a process alive (sockets, servers, timers), by kind. */
function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A TCP port of 127.0.0.1 that was free a moment ago (listened on, then closed). */
async function freePort(): Promise<number> {
  const free = createServer();
  const port = await listen(free);
  await new Promise((resolve) => free.close(resolve));
  return port;
}

describe('startPlatform', () => {
  it('stops what it started when a later step fails, and rethrows the reason', async () => {
    const store = tempStore();
    cleanups.push(store.cleanup);
    // The ZeroMQ feed starts after the pipeline session, the replay source and compaction:
    // its port is taken, so the start fails half way.
    const blocker = createServer();
    const port = await listen(blocker);
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const config = configSchema.parse({
      store: { dataDir: store.dir },
      venues: { source: 'replay' },
      realtime: { zmq: { pubEndpoint: `tcp://127.0.0.1:${port}` } },
      mcp: { http: { enabled: false } },
    });
    const secrets: Secrets = secretsSchema.parse({});
    const before = liveHandles();

    await expect(startPlatform({ logger }, config, secrets)).rejects.toThrow(/in use|EADDRINUSE/i);
    // Closed sockets and cleared timers leave the active list on the next turn of the loop.
    await new Promise((resolve) => setImmediate(resolve));
    const after = liveHandles();
    for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'])
      expect(after[kind] ?? 0, `${kind} left open`).toBeLessThanOrEqual(before[kind] ?? 0);
  });

  it('with an API key, a broken soul file fails the start naming the file and the key', async () => {
    const store = tempStore();
    cleanups.push(store.cleanup);
    const souls = join(store.dir, 'souls');
    mkdirSync(join(souls, 'knowledge'), { recursive: true });
    writeFileSync(
      join(souls, 'coordinator.md'),
      '---\nname: coordinator\ndescription: routes\ntools: [mcp__market-data__get_barz]\n---\nYou route.\n',
    );
    const port = await freePort();
    const config = configSchema.parse({
      store: { dataDir: join(store.dir, 'data') },
      venues: { source: 'replay' },
      realtime: { zmq: { pubEndpoint: `tcp://127.0.0.1:${port}` } },
      mcp: { http: { enabled: false } },
      agents: { soulsDir: souls },
    });
    const secrets: Secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-test' } });
    await expect(startPlatform({ logger }, config, secrets)).rejects.toThrow(
      /coordinator\.md: tools.*get_barz.*valid/s,
    );
  });

  it('without the research venv and bwrap, starts without the research server and says how to install them', async () => {
    const store = tempStore();
    cleanups.push(store.cleanup);
    const port = await freePort();
    const config = configSchema.parse({
      store: { dataDir: join(store.dir, 'data') },
      venues: { source: 'replay' },
      realtime: { zmq: { pubEndpoint: `tcp://127.0.0.1:${port}` } },
      gateway: { port: 0 },
      mcp: { http: { enabled: false } },
      research: { venvDir: join(store.dir, 'no-venv'), bwrapPath: join(store.dir, 'no-bwrap') },
    });
    const platform = await startPlatform({ logger }, config, secretsSchema.parse({}));
    cleanups.push(() => platform.stop());
    const research = platform.banner.find((l) => l.startsWith('research:'));
    expect(research).toContain(`bash deploy/python/setup.sh ${join(store.dir, 'no-venv')}`);
    expect(research).toContain('bash deploy/sandbox/install.sh');
    const mcp = platform.banner.find((l) => l.startsWith('mcp:'));
    expect(mcp).toContain('market-data');
    expect(mcp).not.toContain('research');
  }, 60_000);
});
